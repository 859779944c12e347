using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Docs;

/// <summary>What the docs may name in code: the types of the apps and of the tests, and the configuration keys the apps read.</summary>
internal static class CodeModel
{
    private const BindingFlags EveryMember = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy;

    /// <summary>The assemblies of the repository's projects that the tests reference, and the tests' own.</summary>
    public static IReadOnlyList<Assembly> Assemblies { get; } =
    [
        .. new[] { "Orders.Api", "Orders.Client", "OrdersAspire.ServiceDefaults", "OrdersAspire.GrpcInsights", "OrdersAspire.AppHost" }.Select(Assembly.Load),
        typeof(CodeModel).Assembly,
    ];

    public static IReadOnlyList<Type> Types { get; } = [.. Assemblies.SelectMany(LoadableTypes).Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))];

    /// <summary>The test classes: types of this assembly with a [Fact] or [Theory] method.</summary>
    public static IReadOnlyList<Type> TestClasses { get; } =
        [.. LoadableTypes(typeof(CodeModel).Assembly).Where(t => t.GetMethods(EveryMember).Any(m => m.IsDefined(typeof(FactAttribute))))];

    /// <summary>The dotted names the code defines: namespaces, types' full names, and string constants (cookie, meter, logger names).</summary>
    public static IReadOnlySet<string> DottedNames { get; } = Types.Select(t => t.Namespace ?? "")
        .Concat(Types.Select(t => t.FullName ?? ""))
        .Concat(Types.SelectMany(t => t.GetFields(EveryMember)).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="type"/> declares a member called <paramref name="name"/>, or, for a name cut short with '…', one starting so.</summary>
    public static bool HasMember(Type type, string name) =>
        name.EndsWith('…')
            ? type.GetMembers(EveryMember).Any(m => m.Name.StartsWith(name[..^1], StringComparison.Ordinal))
            : type.GetMember(name, EveryMember).Length > 0;

    /// <summary>
    /// Every configuration key the apps read (compared ignoring case, as configuration does): the properties of each
    /// options class under its <c>SectionName</c>, Kestrel's options under <c>Kestrel</c>, each key-valued string constant
    /// (<c>Orders:Http1Port</c>), and every key of the projects' appsettings*.json.
    /// </summary>
    public static IReadOnlySet<string> SettingKeys { get; } = ReadSettingKeys();

    /// <summary>Sections Kestrel's configuration loader reads by name, not from a property: any key below them is Kestrel's.</summary>
    public static IReadOnlyList<string> KestrelLoaderSections { get; } = ["Kestrel:Endpoints", "Kestrel:EndpointDefaults", "Kestrel:Certificates"];

    private static HashSet<string> ReadSettingKeys()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        AddProperties(keys, "Kestrel", typeof(KestrelServerOptions), depth: 0);
        foreach (var type in Types)
        {
            foreach (var field in type.GetFields(EveryMember).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var value = (string)field.GetRawConstantValue()!;
                if (field.Name == "SectionName")
                {
                    AddProperties(keys, value, type, depth: 0);
                }
                else if (value.Contains(':', StringComparison.Ordinal) && !value.Contains(' ', StringComparison.Ordinal))
                {
                    keys.Add(value);
                }
            }
        }

        foreach (var settings in RepositoryDocs.Entries.Where(e => Path.GetFileName(e).StartsWith("appsettings", StringComparison.Ordinal) && e.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var json = JsonDocument.Parse(RepositoryDocs.Read(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            AddJsonKeys(keys, "", json.RootElement);
        }

        return keys;
    }

    private static void AddProperties(HashSet<string> keys, string section, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{section}:{property.Name}";
            keys.Add(key);
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (depth < 4 && valueType.IsClass && valueType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(valueType))
            {
                AddProperties(keys, key, valueType, depth + 1);
            }
        }
    }

    private static void AddJsonKeys(HashSet<string> keys, string prefix, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            keys.Add(key);
            AddJsonKeys(keys, key, property.Value);
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            // A type whose dependency is not in the test's output cannot be named by the docs' checks; the rest can.
            return ex.Types.OfType<Type>();
        }
    }

    /// <summary>Where the repository keeps a project: the folder named after it, holding its project file.</summary>
    public static bool IsProject(string name) =>
        File.Exists(Path.Combine(RepositoryPaths.Root, name, name + ".csproj"))
        || File.Exists(Path.Combine(RepositoryPaths.Root, "benchmarks", name, name + ".csproj"));
}
