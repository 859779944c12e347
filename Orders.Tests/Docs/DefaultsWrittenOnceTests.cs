using OrdersAspire.TestHarness;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Docs;

/// <summary>
/// Each default is written once, in the options class (or the AppHost's settings table): an appsettings*.json holds
/// only what differs from it (environment-specific values), and no key under an options section that nothing reads.
/// </summary>
public sealed class DefaultsWrittenOnceTests
{
    private const string AppHostSettingsFile = "OrdersAspire.AppHost/appsettings.json";

    /// <summary>Every options class the apps bind: a type with a SectionName constant that can be made with its defaults.</summary>
    private static readonly IReadOnlyList<(string Section, Type Type)> OptionsClasses =
    [
        .. CodeModel.Types
            .Where(type => type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static), Type: type))
            .Where(options => options.Field is { IsLiteral: true })
            .Select(options => ((string)options.Field!.GetRawConstantValue()!, options.Type)),
    ];

    public static TheoryData<string> AppSettingsFiles => [.. RepositoryDocs.Entries
        .Where(entry => Path.GetFileName(entry).StartsWith("appsettings", StringComparison.Ordinal) && entry.EndsWith(".json", StringComparison.Ordinal)
            && CodeModel.IsProject(entry.Split('/')[0]))
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(AppSettingsFiles))]
    public void NoSettingRepeatsTheDefaultOfItsOptionsClass(string file)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryPaths.Root, file)).Build();
        var repeated = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable().Where(pair => pair.Value is not null))
        {
            // The innermost section: Orders:Client is ClientCallOptions', not a member of OrdersOptions.
            foreach (var (section, type) in OptionsClasses.Where(options => key.StartsWith(options.Section + ":", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(options => options.Section.Length).Take(1))
            {
                var written = Default(Activator.CreateInstance(type)!, key[(section.Length + 1)..].Split(':'));
                if (written is null)
                {
                    repeated.Add($"{key}: no property of {type.Name} reads it");
                }
                else if (string.Equals(written, value, StringComparison.OrdinalIgnoreCase))
                {
                    repeated.Add($"{key}: {value} is already {type.Name}'s default");
                }
            }
        }

        Assert.True(OptionsClasses.Count >= 4, $"found only {OptionsClasses.Count} options classes");
        Assert.True(repeated.Count == 0, $"{file}:\n{string.Join('\n', repeated)}");
    }

    [Fact]
    public void TheAppHostsAppSettingsRepeatNoneOfItsSettingsDefaults()
    {
        // AppHostSettings.All: each setting's name, default and what it accepts, as --help prints them.
        var settings = CodeModel.Types.Single(type => type.FullName == "OrdersAspire.AppHost.AppHostSettings");
        var all = (System.Collections.IEnumerable)settings.GetProperty("All", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var defaults = all.Cast<System.Runtime.CompilerServices.ITuple>().ToDictionary(setting => (string)setting[0]!, setting => (string)setting[1]!);
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryPaths.Root, AppHostSettingsFile)).Build();

        Assert.Equal(6, defaults.Count);
        Assert.DoesNotContain(defaults, setting => string.Equals(configuration[setting.Key], setting.Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The default of the property at <paramref name="path"/> as configuration would write it; null when there is no such property.</summary>
    private static string? Default(object options, string[] path)
    {
        foreach (var name in path)
        {
            var property = options.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            options = property.GetValue(options)!;
            if (options is null)
            {
                return "";
            }
        }

        return Convert.ToString(options, CultureInfo.InvariantCulture);
    }
}
