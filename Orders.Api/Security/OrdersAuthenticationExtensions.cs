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
        // The policies exist either way: the service's [Authorize] attributes name them, even when it is mapped anonymous.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OrdersScopes.Read, RequireScope(OrdersScopes.Read, OrdersScopes.Write))
            .AddPolicy(OrdersScopes.Write, RequireScope(OrdersScopes.Write));

        if (authentication.Enabled)
        {
            // Scopes are read under the names they are sent with ("scope", "scp"), not mapped to legacy claim URIs.
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(options => options.MapInboundClaims = false);
            builder.Services.AddSingleton<IValidateOptions<JwtBearerOptions>, BearerOptionsValidator>();
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
            builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcRefusalResultHandler>();
        }

        return builder;
    }

    /// <summary>Authentication and authorization middleware; the service's endpoints are anonymous while authentication is off.</summary>
    public static WebApplication UseOrdersAuthentication(this WebApplication app, AuthenticationOptions authentication)
    {
        if (authentication.Enabled)
        {
            app.UseAuthentication();
        }

        app.UseAuthorization();
        return app;
    }

    public static GrpcServiceEndpointConventionBuilder WithOrdersAuthorization(this GrpcServiceEndpointConventionBuilder service, AuthenticationOptions authentication) =>
        authentication.Enabled ? service : service.AllowAnonymous();

    /// <summary>The user comes from the default scheme (Bearer, when on); naming it here would make the policy authenticate even while off.</summary>
    private static Action<AuthorizationPolicyBuilder> RequireScope(params string[] anyOf) => policy => policy
        .RequireAuthenticatedUser()
        .AddRequirements(new ScopeRequirement(anyOf));
}
