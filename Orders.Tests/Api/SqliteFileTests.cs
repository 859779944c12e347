using System.Net;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Orders.Tests.Infrastructure;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Orders.Tests.Api;

/// <summary>
/// The real Orders.Api on SQLite while its database file is deleted, replaced, or loses its write-ahead log under
/// addOrder traffic: no write acknowledged after that is lost (checked after a SIGKILL and a restart), calls are
/// UNAVAILABLE while no database is at the path, and the same process serves again once one is.
/// </summary>
[Requires(Need.Process)]
public sealed class SqliteFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"orders-file-{Guid.NewGuid():N}");
    private readonly string backupDirectory = Directory.CreateTempSubdirectory("orders-file-backup-").FullName;

    private string DatabasePath => Path.Combine(dataDirectory, "orders.db");

    [Theory]
    [InlineData("the database file")]
    [InlineData("its folder")]
    public async Task Deleted_CallsAreUnavailableAndHealthFailsUntilADatabaseIsRestored_NoAcknowledgedWriteIsLost(string deleted)
    {
        Directory.CreateDirectory(dataDirectory);
        await using var api = await StartAsync();
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var health = new Health.HealthClient(channel);
        using var traffic = OrderTraffic.Writes(client);
        await traffic.WaitForAsync(StatusCode.OK, 5, "writes before the backup");
        var backup = await BackUpAsync();
        await traffic.WaitForAsync(StatusCode.OK, traffic.Count(StatusCode.OK) + 3, "writes after the backup");

        var deletedAt = DateTime.UtcNow;
        if (deleted == "its folder")
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        else
        {
            File.Delete(DatabasePath);
        }

        await traffic.WaitForAsync(StatusCode.Unavailable, 3, $"UNAVAILABLE once {deleted} is deleted");
        StoreOutageTests.AssertUnavailableWithRetryInfo(traffic.FirstUnavailable!);
        // Every refusal names the path, not just the one that found the file gone.
        Assert.All(traffic.Outcomes.Where(o => o.Status == StatusCode.Unavailable), o => Assert.Contains(DatabasePath, o.Detail, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.GetStatusAsync("/health"));
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        // No read from the deleted file: what it holds is no longer the store's.
        Assert.Equal(StatusCode.Unavailable, await GetStatusAsync(client, traffic.Acknowledged[0]));
        Assert.False(File.Exists(DatabasePath), "The service recreated a database at the path of the deleted one.");

        Directory.CreateDirectory(dataDirectory);
        File.Copy(backup, DatabasePath);
        var restoredAt = DateTime.UtcNow;
        await traffic.WaitForAsync(StatusCode.OK, traffic.Count(StatusCode.OK) + 5, "writes once a database is restored at the path");
        await traffic.StopAsync();
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/health"));

        // Acknowledged between the delete and the restore: written to the deleted file, so lost.
        var acknowledgedWhileGone = traffic.Outcomes.Where(o => o.Id is not null && o.StartedUtc >= deletedAt && o.EndedUtc < restoredAt).ToList();
        Assert.Empty(acknowledgedWhileGone);
        AssertOneWarningNamingThePath(api.Output);
        await AssertSurviveARestartAsync(api, traffic.Outcomes.Where(o => o.StartedUtc >= deletedAt), $"after {deleted} was deleted");
    }

    [Fact]
    public async Task ReplacedByAnotherDatabase_TheWriteThatMetTheReplacementIsUnavailable_NoWriteAcknowledgedAfterItIsLost()
    {
        Directory.CreateDirectory(dataDirectory);
        await using var api = await StartAsync();
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        using var traffic = OrderTraffic.Writes(client);
        await traffic.WaitForAsync(StatusCode.OK, 5, "writes before the replacement");
        var replacement = await BackUpAsync();

        var replacedAt = DateTime.UtcNow;
        File.Move(replacement, DatabasePath, overwrite: true);

        await traffic.WaitForAsync(StatusCode.Unavailable, 1, "UNAVAILABLE for the write committed to the replaced file");
        StoreOutageTests.AssertUnavailableWithRetryInfo(traffic.FirstUnavailable!);
        Assert.Contains(DatabasePath, traffic.FirstUnavailable!.Status.Detail, StringComparison.Ordinal);
        await traffic.WaitForAsync(StatusCode.OK, traffic.Count(StatusCode.OK) + 5, "writes to the database now at the path");
        await traffic.StopAsync();

        AssertOneWarningNamingThePath(api.Output);
        await AssertSurviveARestartAsync(api, traffic.Outcomes.Where(o => o.StartedUtc >= replacedAt), "after the file was replaced");
    }

    [Fact]
    public async Task WriteAheadLogDeleted_NoAcknowledgedWriteIsLostToAKill()
    {
        Directory.CreateDirectory(dataDirectory);
        await using var api = await StartAsync();
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        using var traffic = OrderTraffic.Writes(client);
        await traffic.WaitForAsync(StatusCode.OK, 5, "writes before the log is deleted");

        File.Delete(DatabasePath + "-wal");

        await traffic.WaitForAsync(StatusCode.OK, traffic.Count(StatusCode.OK) + 10, "writes after the log was deleted");
        await traffic.StopAsync();

        await AssertSurviveARestartAsync(api, traffic.Outcomes, "after the write-ahead log was deleted");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var directory in new[] { dataDirectory, backupDirectory }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task<OrdersApiProcess> StartAsync() => OrdersApiProcess.StartAsync(faultInjection: false, dataDirectory: dataDirectory);

    private Task<string> BackUpAsync() => SqliteBackup.VacuumIntoAsync(DatabasePath, Path.Combine(backupDirectory, $"{Guid.NewGuid():N}.db"));

    /// <summary>The store's own Warning naming the database file (its header line and message): one per file it stopped using.</summary>
    private void AssertOneWarningNamingThePath(string consoleOutput)
    {
        var lines = consoleOutput.Split('\n');
        var warnings = lines.Select((line, i) => (line, next: i + 1 < lines.Length ? lines[i + 1] : ""))
            .Where(pair => pair.line.StartsWith("warn: Orders.Api.Storage.SqliteOrderStore[29]", StringComparison.Ordinal))
            .Select(pair => pair.line + pair.next)
            .ToList();
        Assert.True(
            warnings.Count == 1 && warnings[0].Contains($"The SQLite database {DatabasePath} is no longer the file the service opened", StringComparison.Ordinal),
            $"Expected one warning naming {DatabasePath}; got:\n{string.Join('\n', warnings)}");
    }

    /// <summary>SIGKILL, a restart on the same folder, and every acknowledged write among <paramref name="outcomes"/> is there.</summary>
    private async Task AssertSurviveARestartAsync(OrdersApiProcess api, IEnumerable<OrderTraffic.Outcome> outcomes, string when)
    {
        await api.KillAsync();
        await using var restarted = await StartAsync();
        using var channel = restarted.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var acknowledged = outcomes.Where(o => o.Id is not null).Select(o => o.Id!).ToList();
        var lost = new List<string>();
        foreach (var id in acknowledged)
        {
            if (await GetStatusAsync(client, id) != StatusCode.OK)
            {
                lost.Add(id);
            }
        }

        output.WriteLine($"{when}: {acknowledged.Count} writes acknowledged, {lost.Count} lost; all outcomes: {string.Join(", ", outcomes.CountBy(o => o.Status))}");
        Assert.True(lost.Count == 0, $"{when}: {lost.Count} of {acknowledged.Count} acknowledged writes lost, e.g. {string.Join(", ", lost.Take(3))}.");
    }

    private static async Task<StatusCode> GetStatusAsync(OrderManagement.OrderManagementClient client, string id)
    {
        try
        {
            await client.getOrderAsync(new StringValue { Value = id });
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
