using System.Reflection;

namespace OrdersAspire.TestHarness;

/// <summary>Where the repository and the built projects are, seen from the running assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the harness was built with, as were the tests and benchmarks using it (Release under test.sh).</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string Proto => Path.Combine(Root, "protos", "order_management.proto");

    /// <summary>
    /// The built entry assembly of a project folder relative to the root, e.g. <c>Orders.Api</c> or
    /// <c>benchmarks/BareOrders.Server</c>; the assembly has the folder's name.
    /// </summary>
    public static string ProjectOutput(string project) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", Path.GetFileName(project) + ".dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrdersAspire.sln not found above {AppContext.BaseDirectory}: run from inside the repository.");
    }
}
