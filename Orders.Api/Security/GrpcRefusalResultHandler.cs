using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;
using Orders.Api.Interceptors;

namespace Orders.Api.Security;

/// <summary>
/// Turns the authorization middleware's refusal of a gRPC method into a <see cref="CallRefusal"/> (UNAUTHENTICATED or
/// PERMISSION_DENIED, with a reason that names no part of the token) and lets the call go on to the telemetry
/// interceptor, which ends it before the handler. Everything else is answered the default way.
/// </summary>
public sealed class GrpcRefusalResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is null)
        {
            await defaultHandler.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var status = authorizeResult.Challenged
            ? new Status(StatusCode.Unauthenticated, await WhyUnauthenticatedAsync(context))
            : new Status(StatusCode.PermissionDenied, WhyForbidden(authorizeResult.AuthorizationFailure));
        CallRefusal.Set(context, status);
        await next(context);
    }

    private static async Task<string> WhyUnauthenticatedAsync(HttpContext context)
    {
        // The scheme's handler caches its result per request: this reads what the authentication middleware found, it does not validate again.
        var result = await context.AuthenticateAsync();
        return result.None
            ? "No bearer token: send the metadata 'authorization: Bearer <token>'."
            : Describe(result.Failure);
    }

    /// <summary>The kind of failure only: IdentityModel's own messages can quote claims of the token.</summary>
    private static string Describe(Exception? failure) => failure switch
    {
        AggregateException { InnerExceptions: [var first, ..] } => Describe(first),
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The bearer token is meant for another audience.",
        SecurityTokenInvalidIssuerException => "The bearer token comes from an issuer this service does not trust.",
        SecurityTokenInvalidSignatureException => "The bearer token's signature does not verify.",
        SecurityTokenMalformedException => "The bearer token is not a well-formed JWT.",
        _ => "The bearer token is not valid.",
    };

    private static string WhyForbidden(AuthorizationFailure? failure) =>
        failure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } scope
            ? $"The bearer token lacks the scope this method needs: {string.Join(" or ", scope.AnyOf)}."
            : "The bearer token does not allow this call.";
}
