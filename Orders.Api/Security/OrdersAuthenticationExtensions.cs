using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Orders.Api.Options;
using Orders.Api.Security;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Bearer-token authentication and the per-method scope policies of Orders.Api (docs/security.md). Off by default;
/// <c>Orders:Authentication:Enabled</c> turns it on, and the token checks come from the standard
/// <c>Authentication:Schemes:Bearer</c> section that AddJwtBearer reads.
/// </summary>
public static class OrdersAuthenticationExtensions
{
    public const string EnabledKey = $"{OrdersOptions.SectionName}:{nameof(OrdersOptions.Authentication)}:{nameof(AuthenticationOptions.Enabled)}";

    public static WebApplicationBuilder AddOrdersAuthentication(this WebApplicationBuilder builder, AuthenticationOptions authentication)
    {
        if (authentication.Enabled)
        {
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy(OrdersScopes.Read, RequireScope(OrdersScopes.Read, OrdersScopes.Write))
                .AddPolicy(OrdersScopes.Write, RequireScope(OrdersScopes.Write));
            // Scopes are read under the names they are sent with ("scope", "scp"), not mapped to legacy claim URIs.
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(options => options.MapInboundClaims = false);
            builder.Services.AddSingleton<IValidateOptions<JwtBearerOptions>, BearerOptionsValidator>();
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
            builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcRefusalResultHandler>();
        }

        return builder;
    }

    /// <summary>Authentication and authorization middleware while authentication is on; while off, no call passes through either.</summary>
    public static WebApplication UseOrdersAuthentication(this WebApplication app, AuthenticationOptions authentication)
    {
        if (authentication.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        return app;
    }

    /// <summary>While authentication is off the service's methods carry no authorization requirement: every call is anonymous.</summary>
    public static GrpcServiceEndpointConventionBuilder WithOrdersAuthorization(this GrpcServiceEndpointConventionBuilder service, AuthenticationOptions authentication)
    {
        if (!authentication.Enabled)
        {
            // Dropped, not waived with AllowAnonymous, so no authorization middleware runs per call; routing still refuses
            // (InvalidOperationException) any endpoint left with a requirement and no middleware, so none is served unchecked.
            service.Add(endpoint =>
            {
                foreach (var requirement in endpoint.Metadata.OfType<IAuthorizeData>().ToList())
                {
                    endpoint.Metadata.Remove(requirement);
                }
            });
        }

        return service;
    }

    /// <summary>The user comes from the default scheme (Bearer, when on); naming it here would make the policy authenticate even while off.</summary>
    private static Action<AuthorizationPolicyBuilder> RequireScope(params string[] anyOf) => policy => policy
        .RequireAuthenticatedUser()
        .AddRequirements(new ScopeRequirement(anyOf));
}
