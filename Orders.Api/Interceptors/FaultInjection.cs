using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using Orders.Api.Options;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// Where fault injection sits in the app. On (<c>Orders:FaultInjection:Enabled</c>: under the AppHost and in Development),
/// <see cref="FaultInjectionInterceptor"/> runs inside the tracking interceptor. Off, as in production, no interceptor of
/// its own is in any call's path: grpc-dotnet activates every registered interceptor for every call, a step that cost
/// getOrder about 6 % of its rate (benchmarks/results/profile.md). A call that asks for a delay then is told, in the
/// trailer <see cref="OrdersHeaders.DelayIgnored"/>, that none was applied: silence would read as "the server is fast".
/// </summary>
public static partial class FaultInjection
{
    public static void AddInterceptor(InterceptorCollection interceptors, FaultInjectionOptions settings)
    {
        if (settings.Enabled)
        {
            interceptors.Add<FaultInjectionInterceptor>();
        }
    }

    /// <summary>Logs at start whether <c>x-orders-delay-ms</c> does anything here and, when it does not, says so to the calls that send it.</summary>
    public static WebApplication UseFaultInjection(this WebApplication app, FaultInjectionOptions settings)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FaultInjection));
        if (settings.Enabled)
        {
            LogOn(logger, settings.MaxDelayMs);
            return app;
        }

        LogOff(logger);
        app.Use(static (context, next) =>
            context.Request.Headers.ContainsKey(OrdersHeaders.DelayMs) && context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
                ? AnswerWithDelayIgnoredAsync(context, next)
                : next(context));
        return app;
    }

    private static async Task AnswerWithDelayIgnoredAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (CallRefusal.IsRefused(context))
        {
            // As if the call had never reached fault injection: a refused caller learns nothing of how its call would have run.
            return;
        }

        // Where grpc-dotnet put the call's status: in the trailers after a message, or in the headers of an answer
        // without one (a trailers-only response). Trailers already sent (grpc-dotnet ends an expired call itself) get none.
        var notice = $"{(string?)context.Request.Headers[OrdersHeaders.DelayMs]} ms not applied: fault injection is off (Orders:FaultInjection:Enabled=false)";
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Append(OrdersHeaders.DelayIgnored, notice);
        }
        else if (context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers)
        {
            trailers.Append(OrdersHeaders.DelayIgnored, notice);
        }
    }

    [LoggerMessage(EventId = 30, EventName = "FaultInjectionOn", Level = LogLevel.Information,
        Message = "Fault injection is on: x-orders-delay-ms: N delays a call's handler by N ms (at most {MaxDelayMs})")]
    private static partial void LogOn(ILogger logger, int maxDelayMs);

    [LoggerMessage(EventId = 31, EventName = "FaultInjectionOff", Level = LogLevel.Information,
        Message = "Fault injection is off: x-orders-delay-ms is ignored (a call that sends it gets the trailer x-orders-delay-ms-ignored); Orders:FaultInjection:Enabled=true turns it on")]
    private static partial void LogOff(ILogger logger);
}
