using Microsoft.Extensions.Logging;

namespace OrdersAspire.AppHost.GrpcInsights;

internal static partial class GrpcInsightsLog
{
    // Next to the dashboard's login URL in the AppHost's console, so the second page of the app is as easy to find.
    [LoggerMessage(EventId = 1, EventName = "GrpcInsightsReady", Level = LogLevel.Information, Message = "gRPC insights at {Url}")]
    public static partial void GrpcInsightsReady(this ILogger logger, string url);
}
