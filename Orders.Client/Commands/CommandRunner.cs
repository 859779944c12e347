using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orders.Client.Hosting;
using Orders.Client.Interceptors;
using Orders.Client.Output;
using Orders.Client.Parsing;
using OrdersAspire.Shared;
using static Ecommerce.OrderManagement;

namespace Orders.Client.Commands;

/// <summary>The plumbing every command shares: host, client, output, and turning outcomes into exit codes.</summary>
public sealed class CommandRunner(GlobalOptions global, TextWriter stdout, TextWriter stderr, string contentRoot)
{
    public ICommandOutput CreateOutput(ParseResult parse) =>
        parse.GetValue(global.Json) ? new JsonOutput(stdout) : new TextOutput(stdout, stderr);

    /// <summary>A command made of RPCs: one trace per invocation, exit 0 on success, 64 + status code on an RPC error.</summary>
    public void SetRpcAction(Command command, Func<ParseResult, CommandContext, Task> run) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, async context =>
        {
            using var activity = OrdersClientTelemetry.StartRootActivity($"orders-client {command.Name}");
            try
            {
                await run(parse, context);
                return ExitCodes.Success;
            }
            catch (RpcException ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, GrpcStatusNames.Of((int)ex.StatusCode));
                throw;
            }
        }, cancellationToken));

    /// <param name="consoleLogLevel">
    /// The least level of log line the command shows: one-shot commands print their result or an ERROR line, which says
    /// what their call's log line would, so they show errors only.
    /// </param>
    public async Task<int> RunAsync(
        ParseResult parse, Func<CommandContext, Task<int>> run, CancellationToken cancellationToken, LogLevel consoleLogLevel = LogLevel.Error)
    {
        var output = CreateOutput(parse);
        var settings = global.ReadCallSettings(parse);
        var deadline = settings.Deadline;
        try
        {
            var log = new CommandLineLog(stdout, stderr, parse.GetValue(global.Json), consoleLogLevel);
            using var host = OrdersClientHost.Build(parse.GetValue(global.Address), global.ReadCredentials(parse), log, contentRoot);
            deadline ??= host.Services.GetRequiredService<IOptions<ClientCallOptions>>().Value.DefaultDeadlineSpan;
            await host.StartAsync(cancellationToken);
            try
            {
                var client = host.Services.GetRequiredService<OrderManagementClient>();
                return await run(new CommandContext(client, output, settings, cancellationToken));
            }
            finally
            {
                // Stopping flushes the OTLP exporters, so the last spans and logs are not lost when the process exits.
                await host.StopAsync(CancellationToken.None);
            }
        }
        catch (RpcException ex)
        {
            output.RpcError(ex.StatusCode == StatusCode.DeadlineExceeded && ex.Status.Detail.Length == 0 && deadline is { } budget
                // The client's own timer ended the call: grpc-dotnet gives no message, so say which deadline passed.
                ? new RpcException(new Status(ex.StatusCode, $"the call's deadline of {DurationParser.Describe(budget)} passed before an answer came (--deadline sets it).", ex.Status.DebugException), ex.Trailers)
                : ex);
            return ExitCodes.ForStatus((int)ex.StatusCode);
        }
        catch (UsageException ex)
        {
            output.UsageError(ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (BadSettings.Describe(ex) is { Count: > 0 } refused)
        {
            foreach (var line in refused)
            {
                output.UsageError(line);
            }

            return ExitCodes.Usage;
        }
    }
}
