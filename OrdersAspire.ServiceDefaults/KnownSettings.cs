using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses a key in an options section that no property of the options class reads: the binder skips it without a
/// word, so a typo (<c>Orders__Procesing__BatchSize</c>) would leave the default in force while the operator believes
/// otherwise. The refusal names the key and the setting it most likely meant.
/// </summary>
public static class KnownSettings
{
    /// <summary>"Orders:Procesing is not a setting; did you mean Orders:Processing?", or null when every key is one.</summary>
    public static string? FirstUnknown(IConfigurationSection section, Type optionsType)
    {
        var properties = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var child in section.GetChildren())
        {
            var property = properties.FirstOrDefault(p => p.Name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return $"{child.Path} is not a setting; {Suggestion(section.Path, child.Key, properties)}";
            }

            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsSection(valueType) && FirstUnknown(child, valueType) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    // A class of settings has keys of its own to check; a value, a list or a map takes whatever keys it is given.
    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Suggestion(string sectionPath, string key, PropertyInfo[] properties) =>
        NearestName.Of(key, properties.Select(p => p.Name)) is { } closest
            ? $"did you mean {sectionPath}:{closest}?"
            : $"{sectionPath} has {string.Join(", ", properties.Select(p => p.Name))}.";
}

/// <summary>The section <typeparamref name="TOptions"/> is bound from, for <see cref="KnownSettingsValidator{TOptions}"/>.</summary>
internal sealed record OptionsSection<TOptions>(string Name);

/// <summary>Fails <typeparamref name="TOptions"/> at start when its section holds a key it does not read (<see cref="KnownSettings"/>).</summary>
internal sealed class KnownSettingsValidator<TOptions>(IConfiguration configuration, OptionsSection<TOptions> section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        KnownSettings.FirstUnknown(configuration.GetSection(section.Name), typeof(TOptions)) is { } unknown
            ? ValidateOptionsResult.Fail(unknown)
            : ValidateOptionsResult.Success;
}
