using OrdersAspire.TestHarness;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Deployment;

/// <summary>
/// Aspire's version lives in two places an MSBuild SDK forces apart: Directory.Packages.props' <c>AspireVersion</c> for
/// the packages, global.json's <c>msbuild-sdks</c> for Aspire.AppHost.Sdk. They must name one Aspire release, and the
/// deploy files' Aspire dashboard image the same one.
/// </summary>
public sealed partial class AspireVersionTests
{
    private const string AppHostSdk = "Aspire.AppHost.Sdk";

    private static readonly Version PackagesVersion = Version.Parse(
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("AspireVersion").Single().Value);

    [Fact]
    public void TheAppHostNamesItsSdkWithoutAVersion_GlobalJsonPinsIt()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, "OrdersAspire.AppHost", "OrdersAspire.AppHost.csproj"));

        Assert.Equal(AppHostSdk, project.Root!.Attribute("Sdk")?.Value);
        Assert.NotNull(GlobalJsonSdkVersion());
    }

    [Fact]
    public void TheSdkIsOfThePackagesRelease_NoNewerThanThem()
    {
        var sdk = Version.Parse(GlobalJsonSdkVersion() ?? throw new InvalidOperationException($"global.json pins no {AppHostSdk}."));

        Assert.Equal((PackagesVersion.Major, PackagesVersion.Minor), (sdk.Major, sdk.Minor));
        Assert.True(sdk <= PackagesVersion, $"{AppHostSdk} {sdk} is newer than the Aspire packages' {PackagesVersion}.");
    }

    [Fact]
    public void EveryAspirePackageTakesAspireVersion()
    {
        var aspirePackages = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Where(package => package.Attribute("Include")!.Value.StartsWith("Aspire.", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(aspirePackages);
        Assert.All(aspirePackages, package => Assert.Equal("$(AspireVersion)", package.Attribute("Version")?.Value));
    }

    [Fact]
    public void TheDeployedAspireDashboardImageIsOfThePackagesRelease()
    {
        var tags = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "deploy"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(file => DashboardImageTag().Matches(File.ReadAllText(file)).Select(match => (file, tag: match.Groups["tag"].Value)))
            .ToList();

        Assert.NotEmpty(tags);
        Assert.All(tags, image => Assert.Equal($"{PackagesVersion.Major}.{PackagesVersion.Minor}", image.tag));
    }

    private static string? GlobalJsonSdkVersion() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")))?["msbuild-sdks"]?[AppHostSdk]?.GetValue<string>();

    [GeneratedRegex(@"mcr\.microsoft\.com/dotnet/aspire-dashboard:(?<tag>[^\s""'}]+)")]
    private static partial Regex DashboardImageTag();
}
