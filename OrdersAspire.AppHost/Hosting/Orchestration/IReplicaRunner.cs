using System.Diagnostics;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>What differs between kinds of process resource: how a replica's process starts, when it is ready, how it is asked to stop.</summary>
internal interface IReplicaRunner
{
    StopSignal StopSignal { get; }

    /// <summary>Null when the replica is Running as soon as its process has started.</summary>
    Func<CancellationToken, Task<bool>>? ReadinessCheck { get; }

    /// <summary>Prepares and starts the process, its console lines going to <paramref name="onLine"/> (isError); a <see cref="ResourceStartException"/> says why it cannot.</summary>
    Task<Process> StartAsync(IReadOnlyDictionary<string, string?> environment, Action<string, bool> onLine);
}

/// <summary>Why a replica could not be started; shown as its FailedToStart reason.</summary>
internal sealed class ResourceStartException(string reason) : Exception(reason);
