using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrdersAspire.Shared;

namespace OrdersAspire.AppHost.Authentication;

/// <summary>
/// Authentication on (<c>--auth on</c>) without an identity provider: an HMAC signing key made for this run, orders-api
/// told through the standard <c>Authentication:Schemes:Bearer</c> settings to accept tokens signed with it, and a token
/// for orders-client with both scopes. Key and token are secret parameters, masked in the dashboard, and die with the run.
/// </summary>
internal static class DevelopmentAuthenticationExtensions
{
    public const string Issuer = "orders-aspire-apphost";
    public const string Audience = "orders-api";

    /// <summary>Longer than any run of the app; the key, and so the token, is new every run.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(30);

    public static void AddDevelopmentAuthentication(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> client)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var signingKey = builder.AddParameter("orders-signing-key", Convert.ToBase64String(key), secret: true);
        var clientToken = builder.AddParameter("orders-client-token", MintToken(key, OrdersScopes.Read, OrdersScopes.Write), secret: true);

        api.WithEnvironment("Orders__Authentication__Enabled", "true")
            .WithEnvironment("Authentication__Schemes__Bearer__ValidIssuer", Issuer)
            .WithEnvironment("Authentication__Schemes__Bearer__ValidAudiences__0", Audience)
            .WithEnvironment("Authentication__Schemes__Bearer__SigningKeys__0__Issuer", Issuer)
            .WithEnvironment("Authentication__Schemes__Bearer__SigningKeys__0__Value", signingKey);
        client.WithEnvironment("Orders__Client__Token", clientToken);
    }

    private static string MintToken(byte[] key, params string[] scopes) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "orders-client"), new Claim("scope", string.Join(' ', scopes))]),
        Expires = DateTime.UtcNow + TokenLifetime,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}
