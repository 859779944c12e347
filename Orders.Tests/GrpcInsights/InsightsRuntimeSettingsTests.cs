using System.Text.Json;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The insights as built take as little CPU as they can from the app beside them: the runtime settings that say so are
/// in the runtimeconfig.json every start of the built insights reads (dotnet run, the AppHost, the container image).
/// </summary>
public sealed class InsightsRuntimeSettingsTests
{
    [Fact]
    public void TheBuiltInsightsUseAWorkstationGcWithoutABackgroundThread_AndThreadPoolWorkersThatDoNotSpin()
    {
        // The test build copies each referenced app's runtimeconfig.json beside its own output.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OrdersAspire.GrpcInsights.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal("0", properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").ToString());
    }
}
