using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrdersAspire.AppHost.Hosting.Orchestration;
using OrdersAspire.ResourceService;
using ResourceState = OrdersAspire.AppHost.Hosting.Orchestration.ResourceState;

namespace OrdersAspire.AppHost.Hosting.ResourceService;

/// <summary>Serves the AppHost's live resource state, console logs and commands to the dashboard.</summary>
internal sealed class AppHostResourceService(ResourceOrchestrator orchestrator, ResourceNotifications notifications)
    : OrdersAspire.ResourceService.ResourceService.ResourceServiceBase
{
    public override async Task WatchResources(WatchResourcesRequest request, IServerStreamWriter<ReplicaUpdate> responseStream, ServerCallContext context)
    {
        await foreach (var snapshot in notifications.WatchAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(ToUpdate(snapshot), context.CancellationToken);
        }
    }

    public override async Task WatchConsoleLogs(WatchConsoleLogsRequest request, IServerStreamWriter<ConsoleLogLine> responseStream, ServerCallContext context)
    {
        var replicas = Select(request.Name);
        var merged = Channel.CreateUnbounded<ConsoleLogLine>();
        // One pump per replica into a single stream; each replica's own order is kept. They end with the call, or
        // when the AppHost has stopped everything: then the stream ends with OK.
        var pumps = replicas.Select(replica => PumpAsync(replica, merged.Writer, context.CancellationToken)).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(_ => merged.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

        try
        {
            await foreach (var line in merged.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(line, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The watcher went away; the pumps end with the same token.
        }
    }

    public override async Task<ExecuteCommandResponse> ExecuteCommand(ExecuteCommandRequest request, ServerCallContext context)
    {
        var command = request.Command switch
        {
            OrdersAspire.ResourceService.ResourceCommand.Start => Orchestration.ResourceCommand.Start,
            OrdersAspire.ResourceService.ResourceCommand.Stop => Orchestration.ResourceCommand.Stop,
            OrdersAspire.ResourceService.ResourceCommand.Restart => Orchestration.ResourceCommand.Restart,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unknown command {request.Command}.")),
        };
        return await orchestrator.ExecuteAsync(request.Name, command) ? new ExecuteCommandResponse() : throw NotFound(request.Name);
    }

    private static async Task PumpAsync(ResourceReplica replica, ChannelWriter<ConsoleLogLine> into, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in replica.Console.WatchAsync(cancellationToken))
            {
                await into.WriteAsync(ToLine(replica.Id, line), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The watcher went away.
        }
    }

    private List<ResourceReplica> Select(string name)
    {
        var replicas = orchestrator.Replicas.Where(r => r.Id == name || r.Resource.Name == name).ToList();
        return replicas.Count > 0 ? replicas : throw NotFound(name);
    }

    private static RpcException NotFound(string name) => new(new Status(StatusCode.NotFound, $"No resource or replica named '{name}'."));

    private static ReplicaUpdate ToUpdate(ReplicaSnapshot snapshot)
    {
        var update = new ReplicaUpdate
        {
            ResourceName = snapshot.Resource,
            ReplicaId = snapshot.ReplicaId,
            ResourceType = snapshot.ResourceType,
            State = ToState(snapshot.State),
            StartedAt = snapshot.StartedAt is { } started ? Timestamp.FromDateTimeOffset(started) : null,
            StoppedAt = snapshot.StoppedAt is { } stopped ? Timestamp.FromDateTimeOffset(stopped) : null,
            Endpoints = { snapshot.Endpoints.Select(e => e.ToString().TrimEnd('/')) },
            Commands = { CommandsFor(snapshot.State) },
        };
        if (snapshot.Pid is { } pid)
        {
            update.Pid = pid;
        }

        if (snapshot.ExitCode is { } exitCode)
        {
            update.ExitCode = exitCode;
        }

        return update;
    }

    // What makes sense now, as Aspire offers it: stop or restart what runs, start what does not, stop (give up) what waits.
    private static string[] CommandsFor(ResourceState state) => state switch
    {
        ResourceState.Starting or ResourceState.Running or ResourceState.Unhealthy => ["stop", "restart"],
        ResourceState.Exited or ResourceState.FailedToStart or ResourceState.NotStarted => ["start"],
        ResourceState.Waiting => ["stop"],
        _ => [],
    };

    private static OrdersAspire.ResourceService.ResourceState ToState(ResourceState state) => state switch
    {
        ResourceState.NotStarted => OrdersAspire.ResourceService.ResourceState.NotStarted,
        ResourceState.Waiting => OrdersAspire.ResourceService.ResourceState.Waiting,
        ResourceState.Starting => OrdersAspire.ResourceService.ResourceState.Starting,
        ResourceState.Running => OrdersAspire.ResourceService.ResourceState.Running,
        ResourceState.Unhealthy => OrdersAspire.ResourceService.ResourceState.Unhealthy,
        ResourceState.Stopping => OrdersAspire.ResourceService.ResourceState.Stopping,
        ResourceState.Exited => OrdersAspire.ResourceService.ResourceState.Exited,
        ResourceState.FailedToStart => OrdersAspire.ResourceService.ResourceState.FailedToStart,
        _ => OrdersAspire.ResourceService.ResourceState.Unspecified,
    };

    private static ConsoleLogLine ToLine(string replicaId, ConsoleLine line) => new()
    {
        ReplicaId = replicaId,
        LineNumber = line.LineNumber,
        Timestamp = Timestamp.FromDateTimeOffset(line.Timestamp),
        Text = line.Text,
        IsStdErr = line.IsError,
    };
}
