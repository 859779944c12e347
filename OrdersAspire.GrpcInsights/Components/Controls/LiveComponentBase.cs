using Microsoft.AspNetCore.Components;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Components.Controls;

/// <summary>
/// A view that reloads from the store when it changed: polled every second over the live circuit, so new telemetry
/// shows within two seconds without a page reload, and an idle page costs nothing but a counter read.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stop = new();
    private long renderedVersion = -1;

    [Inject]
    protected TelemetryStore Store { get; set; } = null!;

    /// <summary>What this view depends on; override to watch another source (e.g. resources).</summary>
    protected virtual long CurrentVersion => Store.Version;

    /// <summary>Loads the view's data from the store; called on start, on parameter or filter changes, and on store changes.</summary>
    protected abstract void Load();

    protected override void OnParametersSet()
    {
        renderedVersion = CurrentVersion;
        Load();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ = PollAsync(stop.Token);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var version = CurrentVersion;
                if (version != renderedVersion)
                {
                    renderedVersion = version;
                    await InvokeAsync(() =>
                    {
                        Load();
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit went away; nothing to refresh.
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
