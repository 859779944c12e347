using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>
/// The AppHost's app model, built in this process through Aspire.Hosting.Testing and never started (no DCP, no
/// dashboard, a second or two): what the dashboard offers on orders-client.
/// </summary>
[Requires(Need.AppHost)]
public sealed class CallCommandsModelTests : IAsyncLifetime
{
    /// <summary>The four commands as the dashboard lists them, in order: name, display name, and the client line each runs.</summary>
    public static readonly (string Name, string DisplayName, string Runs)[] Expected =
    [
        ("run-scenario-once", "Run the scenario once", "Orders.Client scenario"),
        ("get-order-1ms-deadline", "Call getOrder with a 1 ms deadline", "Orders.Client get 102 --deadline 1ms"),
        ("cancel-process-orders", "Cancel a processOrders stream midway", "Orders.Client process 101 102 103 104 --header x-orders-delay-ms=2000 --cancel-after 500ms"),
        ("get-missing-order", "Look up an order that does not exist", "Orders.Client get no-such-order"),
    ];

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-aspire-model-").FullName;
    private IDistributedApplicationTestingBuilder builder = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrdersAspire_AppHost>(["--data-dir", dataDirectory], timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await builder.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public void OrdersClientOffersTheFourCallCommandsAndSaysWhatEachRuns()
    {
        var commands = CallCommands();

        Assert.Equal(Expected.Select(c => (c.Name, c.DisplayName)), commands.Select(c => (c.Name, c.DisplayName)));
        Assert.All(Expected.Zip(commands), pair => Assert.EndsWith($"Runs: {pair.First.Runs}", pair.Second.DisplayDescription, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("Exited")]
    [InlineData("Starting")]
    public void TheCommandsAreDisabledWhileOrdersApiHasNoRunningReplica(string clientState)
    {
        // Never started: no orders-api replica runs, so even a running client cannot call.
        var snapshot = new CustomResourceSnapshot { ResourceType = "Project", Properties = [], State = clientState };
        using var services = new ServiceCollection().BuildServiceProvider();

        Assert.All(CallCommands(), command => Assert.Equal(
            ResourceCommandState.Disabled,
            command.UpdateState(new UpdateCommandStateContext { ResourceSnapshot = snapshot, Services = services })));
    }

    /// <summary>orders-client's commands other than Aspire's own (start, stop, restart, …).</summary>
    private List<ResourceCommandAnnotation> CallCommands()
    {
        var lifecycle = typeof(KnownResourceCommands).GetFields().Select(f => f.GetValue(null) as string).ToHashSet();
        return [.. builder.Resources.Single(r => r.Name == "orders-client").Annotations.OfType<ResourceCommandAnnotation>().Where(c => !lifecycle.Contains(c.Name))];
    }
}
