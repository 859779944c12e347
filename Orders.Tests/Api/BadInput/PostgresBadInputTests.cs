using Microsoft.Extensions.Logging;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// The rows whose strings PostgreSQL's text type cannot hold, against an Orders.Api on PostgreSQL: the same statuses
/// and checks as on SQLite (<see cref="BadInputTests"/>), and not one Error line in the server's log.
/// </summary>
[Collection(PostgresServerDefinition.Name)]
[Requires(Need.PostgreSql)]
public sealed class PostgresBadInputTests(PostgresServer postgres)
{
    [Fact]
    public async Task EveryNulRow_GetsTheSameAnswerAsOnSqlite_WithNoErrorLogged()
    {
        var database = await postgres.CreateDatabaseAsync();
        var server = new BadInputServer(new Dictionary<string, string?> { ["ConnectionStrings:orders"] = postgres.ConnectionString(database) });
        await server.InitializeAsync();
        try
        {
            var failures = new List<string>();
            foreach (var row in BadInputTable.All.Where(row => row.Category == BadInputTable.NulCategory))
            {
                try
                {
                    await BadInputTests.CheckAsync(server, row);
                }
                catch (Exception failure)
                {
                    failures.Add($"{row.Name}: {failure.Message.ReplaceLineEndings(" ")}");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.DoesNotContain(server.Log, record => record.Level >= LogLevel.Error);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
