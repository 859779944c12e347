using Grpc.Core;
using Orders.Client.Commands;
using Orders.Client.Output;
using Orders.Client.Parsing;
using OrdersAspire.Shared;

namespace Orders.Tests.Client;

public class ClientParsingTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1m", 60_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("00:00:03", 3_000)]
    [InlineData(" 10S ", 10_000)]
    public void DurationsParse(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("ms")]
    [InlineData("-5s")]
    [InlineData("0ms")]
    [InlineData("5 parsecs")]
    [InlineData("2d")]
    public void NonDurationsAreRejected(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void HeadersParseAsNameValueWithLowerCaseNames()
    {
        Assert.True(MetadataParser.TryParseHeader("X-Orders-Delay-Ms=1500", out var entry, out _));
        Assert.Equal("x-orders-delay-ms", entry.Key);
        Assert.Equal("1500", entry.Value);

        Assert.True(MetadataParser.TryParseHeader("note=a=b", out var withEquals, out _));
        Assert.Equal("a=b", withEquals.Value);
    }

    [Fact]
    public void BinaryHeadersAreBase64Decoded()
    {
        Assert.True(MetadataParser.TryParseHeader("trace-bin=AQID", out var entry, out _));
        Assert.True(entry.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, entry.ValueBytes);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    [InlineData("token-bin=not base64!")]
    [InlineData("bad header=1")]
    public void MalformedHeadersAreRejectedWithAReason(string text)
    {
        Assert.False(MetadataParser.TryParseHeader(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void CancelAfterIsACountOrADuration()
    {
        Assert.True(CancelAfter.TryParse("3", out var count));
        Assert.Equal(new CancelAfter(3, null), count);
        Assert.True(CancelAfter.TryParse("400ms", out var duration));
        Assert.Equal(new CancelAfter(null, TimeSpan.FromMilliseconds(400)), duration);
        Assert.StartsWith("0 would cancel before anything is sent", CancelAfter.Check("0", out _), StringComparison.Ordinal);
        Assert.Equal("'soon' is neither a shipment count nor a duration (e.g. 2 or 500ms).", CancelAfter.Check("soon", out _));
    }

    /// <summary>
    /// The client's own duration reading, through <c>--cancel-after</c> (the durations above are read by the copy this
    /// test project compiles, as the AppHost compiles it; these by the one compiled into Orders.Client).
    /// </summary>
    [Theory]
    [InlineData("250ms", null, "250ms")]
    [InlineData(" 10S ", null, "10s")]
    [InlineData("999ms", null, "999ms")]
    [InlineData("1000ms", null, "1s")]
    [InlineData("59.5s", null, "59.5s")]
    [InlineData("60s", null, "1m")]
    [InlineData("1.5m", null, "1.5m")]
    [InlineData("1h", null, "60m")]
    [InlineData("00:00:03", null, "3s")]
    [InlineData("24h", null, "1440m")]
    [InlineData("7", null, "7 shipment(s)")]
    [InlineData("0ms", "'0ms' must be longer than zero.", null)]
    [InlineData("24.001h", "'24.001h' must be at most a day (24h).", null)]
    [InlineData("5 parsecs", "'5 parsecs' is neither a shipment count nor a duration (e.g. 2 or 500ms).", null)]
    [InlineData("-5s", "'-5s' is neither a shipment count nor a duration (e.g. 2 or 500ms).", null)]
    [InlineData("ms", "'ms' is neither a shipment count nor a duration (e.g. 2 or 500ms).", null)]
    [InlineData("  ", "'  ' is neither a shipment count nor a duration (e.g. 2 or 500ms).", null)]
    public void CancelAfterReadsEveryDurationFormAndSaysWhatIsWrong(string text, string? problem, string? shown)
    {
        Assert.Equal(problem, CancelAfter.Check(text, out var cancelAfter));
        Assert.Equal(shown, cancelAfter?.ToString());
    }

    [Theory]
    [InlineData(StatusCode.OK, 0)]
    [InlineData(StatusCode.Cancelled, 65)]
    [InlineData(StatusCode.InvalidArgument, 67)]
    [InlineData(StatusCode.DeadlineExceeded, 68)]
    [InlineData(StatusCode.NotFound, 69)]
    [InlineData(StatusCode.Unavailable, 78)]
    [InlineData(StatusCode.Unauthenticated, 80)]
    public void RpcStatusMapsToExitCode(StatusCode code, int exitCode) => Assert.Equal(exitCode, ExitCodes.ForStatus((int)code));

    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED")]
    [InlineData(StatusCode.DataLoss, "DATA_LOSS")]
    public void StatusCodesUseCanonicalNames(StatusCode code, string name) => Assert.Equal(name, GrpcStatusNames.Of((int)code));

    [Fact]
    public void UpdateFileParsesAnArrayOfOrders()
    {
        var orders = OrdersJsonFile.Parse("""[{"id":"7","items":["a","b"],"price":12.5,"destination":"X"},{"id":"8","items":["c"]}]""", "test.json");
        Assert.Equal(["7", "8"], orders.Select(o => o.Id));
        Assert.Equal(["a", "b"], orders[0].Items);
        Assert.Equal(12.5f, orders[0].Price);
        Assert.Equal("X", orders[0].Destination);
    }

    [Fact]
    public void UpdateFileTakesOneOrderObjectAsOneOrder()
    {
        var order = Assert.Single(OrdersJsonFile.Parse("""{"id":"7","items":["a"],"price":2}""", "one.json"));
        Assert.Equal(("7", 2f), (order.Id, order.Price));
    }

    [Fact]
    public async Task AnUpdatePathThatIsADirectoryIsAUsageError()
    {
        var directory = Directory.CreateTempSubdirectory("orders-update-");
        try
        {
            var error = await Assert.ThrowsAsync<UsageException>(() => OrdersJsonFile.ReadAsync(directory.FullName, TextReader.Null, CancellationToken.None));
            Assert.Equal($"update: {directory.FullName} is a folder; give a JSON file of orders, or - for stdin.", error.Message);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Theory]
    [InlineData("[{\"id\":", "not valid JSON")]
    [InlineData("3", "update: orders.json holds a number; expected a JSON array of orders, or one order object.")]
    [InlineData("\"x\"", "update: orders.json holds a string; expected a JSON array of orders, or one order object.")]
    [InlineData("[1]", "update: orders.json: orders[0] is a number; expected an order object.")]
    [InlineData("[{\"id\":\"1\"},{\"colour\":\"red\"}]", "update: orders.json: orders[1] is not an order")]
    [InlineData("[{\"price\":\"cheap\"}]", "update: orders.json: orders[0] is not an order")]
    [InlineData("{\"price\":\"cheap\"}", "update: orders.json is not an order")]
    public void BadUpdateFilesAreUsageErrorsNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<UsageException>(() => OrdersJsonFile.Parse(json, "update: orders.json"));
        Assert.Contains("orders.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
