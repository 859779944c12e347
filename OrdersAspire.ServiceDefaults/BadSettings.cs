using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Turns a refused setting into lines an operator can act on: each names the configuration key and what it accepts.
/// The refusals come from options validators (<see cref="OptionsValidationException"/>, e.g. the generated
/// <c>[OptionsValidator]</c>s of <see cref="ValidatedOptions"/>), from the configuration binder (a value of the
/// wrong form), and from the apps' own cross-setting checks (<see cref="BadSettingException"/>).
/// </summary>
public static partial class BadSettings
{
    /// <summary>The name of the <c>const string</c> every options class here declares: the configuration section it is bound from.</summary>
    private const string SectionNameField = "SectionName";

    /// <summary>How DataAnnotations' own messages begin ("The field X must be between 1 and 10."); the key alone reads better.</summary>
    private const string TheField = "The field ";

    /// <summary>One line per refused setting in <paramref name="exception"/> (wrappers included), or none when it is no refused setting.</summary>
    public static IReadOnlyList<string> Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Describe)],
        TargetInvocationException { InnerException: { } inner } => Describe(inner),
        BadSettingException refused => [refused.Message],
        OptionsValidationException refused => [.. refused.Failures.Select(failure => Keyed(refused.OptionsType, failure))],
        InvalidOperationException when FailedConversion().Match(exception.Message) is { Success: true } conversion =>
            [$"{conversion.Groups["key"].Value}: '{conversion.Groups["value"].Value}' is not {Accepted(conversion.Groups["type"].Value)}."],
        _ => [],
    };

    /// <summary>
    /// The generated validator names a setting by its member path ("OrdersOptions.Processing.BatchSize"); the operator
    /// knows it by its key ("Orders:Processing:BatchSize").
    /// </summary>
    private static string Keyed(Type optionsType, string failure)
    {
        var section = optionsType.GetField(SectionNameField, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        if (section is null)
        {
            return failure;
        }

        var path = Regex.Match(failure, $@"\b{Regex.Escape(optionsType.Name)}((?:\.\w+)+)");
        if (!path.Success)
        {
            return failure;
        }

        var key = section + path.Groups[1].Value.Replace('.', ':');
        // "BatchSize: The field OrdersOptions.Processing.BatchSize must be ..." → "Orders:Processing:BatchSize must be ..."
        var member = $"{path.Groups[1].Value[(path.Groups[1].Value.LastIndexOf('.') + 1)..]}: ";
        var message = (failure.StartsWith(member, StringComparison.Ordinal) ? failure[member.Length..] : failure).Replace(path.Value, key, StringComparison.Ordinal);
        return message.StartsWith(TheField, StringComparison.Ordinal) ? message[TheField.Length..] : message;
    }

    /// <summary>What a value of <paramref name="typeName"/> (as the binder names it) looks like.</summary>
    private static string Accepted(string typeName)
    {
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(typeName)).FirstOrDefault(found => found is not null);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => $"a {typeName}",
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss, e.g. 00:00:02)",
            _ when type == typeof(Uri) => "a URL",
            _ => $"a {type.Name}",
        };
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex FailedConversion();
}
