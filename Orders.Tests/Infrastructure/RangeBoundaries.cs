using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// Each <c>[Range]</c> setting of an options class (its sections included, as <c>[ValidateObjectMembers]</c> reaches
/// them), tried through the class's validator at both ends and one step past each.
/// </summary>
public static class RangeBoundaries
{
    /// <summary>Each ranged key (Section:Path) and what went wrong at its boundaries; no problem means min and max pass and min-1 and max+1 are refused by one line naming the key and the range.</summary>
    /// <summary>Every ranged setting, exactly <paramref name="expectedKeys"/> of them, accepts both ends and refuses one step past each, naming its key.</summary>
    public static void AssertEveryRange<TOptions>(IValidateOptions<TOptions> validator, string sectionName, int expectedKeys)
        where TOptions : class, new()
    {
        var checkedKeys = Check(validator, sectionName);
        // Fewer keys than expected: a section lost its [ValidateObjectMembers] and dropped out of validation.
        Assert.Equal(expectedKeys, checkedKeys.Count);
        var problems = checkedKeys.Where(result => result.Problem is not null).Select(result => $"{result.Key}: {result.Problem}").ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static List<(string Key, string? Problem)> Check<TOptions>(IValidateOptions<TOptions> validator, string sectionName)
        where TOptions : class, new()
    {
        var results = new List<(string, string?)>();
        foreach (var (path, range) in Ranged(typeof(TOptions), []))
        {
            var key = $"{sectionName}:{string.Join(':', path.Select(p => p.Name))}";
            var type = Nullable.GetUnderlyingType(path[^1].PropertyType) ?? path[^1].PropertyType;
            var (min, max) = (Operand(range.Minimum, type), Operand(range.Maximum, type));
            var problems = new List<string>();
            foreach (var (value, accepted) in new[] { (min, true), (max, true), (Step(min, -1), false), (Step(max, +1), false) })
            {
                if (value is null)
                {
                    // One step past int.MaxValue (or below int.MinValue) cannot be written to the setting at all.
                    continue;
                }

                var options = new TOptions();
                Set(options, path, value);
                var result = validator.Validate(Options.DefaultName, options);
                if (result.Succeeded != accepted)
                {
                    problems.Add($"{value} was {(result.Succeeded ? "accepted" : "refused")}");
                }
                else if (!accepted)
                {
                    var line = Assert.Single(BadSettings.Describe(new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures)));
                    var expected = $"{key} must be between {range.Minimum} and {range.Maximum}.";
                    if (line != expected)
                    {
                        problems.Add($"{value} was refused with '{line}', not '{expected}'");
                    }
                }
            }

            results.Add((key, problems.Count == 0 ? null : string.Join("; ", problems)));
        }

        return results;
    }

    private static IEnumerable<(PropertyInfo[] Path, RangeAttribute Range)> Ranged(Type type, PropertyInfo[] parent)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            PropertyInfo[] path = [.. parent, property];
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                yield return (path, range);
            }
            else if (property.GetCustomAttribute<ValidateObjectMembersAttribute>() is not null)
            {
                foreach (var nested in Ranged(property.PropertyType, path))
                {
                    yield return nested;
                }
            }
        }
    }

    private static object Operand(object bound, Type type) =>
        bound is string text ? TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text)! : Convert.ChangeType(bound, type, CultureInfo.InvariantCulture);

    private static object? Step(object value, int direction) => value switch
    {
        int i => (long)i + direction is var next and >= int.MinValue and <= int.MaxValue ? (int)next : null,
        long l => (direction > 0 && l == long.MaxValue) || (direction < 0 && l == long.MinValue) ? null : l + direction,
        TimeSpan span => span + TimeSpan.FromTicks(direction),
        _ => throw new NotSupportedException($"No step for a {value.GetType().Name} range."),
    };

    private static void Set(object options, PropertyInfo[] path, object value)
    {
        foreach (var section in path[..^1])
        {
            options = section.GetValue(options)!;
        }

        path[^1].SetValue(options, value);
    }
}
