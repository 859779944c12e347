using System.Reflection;

namespace Orders.Tests.Infrastructure;

/// <summary>Where the repository and the built projects are, seen from the running test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Release under test.sh).</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string Proto => Path.Combine(Root, "protos", "order_management.proto");

    /// <summary>The built entry assembly of a project in this repository, e.g. <c>Orders.Api</c>.</summary>
    public static string ProjectOutput(string project) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrdersAspire.sln not found above {AppContext.BaseDirectory}.");
    }
}
