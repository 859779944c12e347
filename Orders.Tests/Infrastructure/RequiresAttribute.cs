using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orders.Tests.Infrastructure;

/// <summary>What a test needs beyond its own process; every value but <see cref="Process"/> starts one too.</summary>
[Flags]
public enum Need
{
    /// <summary>Starts a program: Orders.Api or Orders.Client built, a shell tool, the Aspire dashboard.</summary>
    Process = 1 << 0,
    /// <summary>Runs Debian's PostgreSQL server binaries.</summary>
    PostgreSql = 1 << 1,
    /// <summary>Runs python3 with grpcio.</summary>
    Python = 1 << 2,
    /// <summary>Drives Chromium through Playwright.</summary>
    Chromium = 1 << 3,
    /// <summary>Runs podman (images, compose, kube play).</summary>
    Podman = 1 << 4,
    /// <summary>Runs the whole AppHost: DCP, the Aspire dashboard and every resource.</summary>
    AppHost = 1 << 5,
    /// <summary>Runs node with the Kubernetes schema validator's npm packages (deploy/k8s/validate).</summary>
    Node = 1 << 6,
}

/// <summary>
/// Marks a test class or method with what it needs, as xunit traits named <see cref="TraitName"/>: one per need, plus
/// <c>Process</c> for any need, so <c>--filter "Requires!=Process"</c> is the in-process tier.
/// </summary>
[TraitDiscoverer("Orders.Tests.Infrastructure.RequiresDiscoverer", "Orders.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresAttribute(Need needs) : Attribute, ITraitAttribute
{
    public const string TraitName = "Requires";

    public Need Needs { get; } = needs | Need.Process;

    /// <summary>The trait values of <paramref name="needs"/>, <c>Process</c> always among them.</summary>
    public static IEnumerable<string> TraitValues(Need needs) =>
        Enum.GetValues<Need>().Where(need => (needs | Need.Process).HasFlag(need)).Select(need => need.ToString());
}

/// <summary>Turns a <see cref="RequiresAttribute"/> into its traits when xunit discovers the tests.</summary>
public sealed class RequiresDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        RequiresAttribute.TraitValues(traitAttribute.GetConstructorArguments().Cast<Need>().Single())
            .Select(value => new KeyValuePair<string, string>(RequiresAttribute.TraitName, value));
}
