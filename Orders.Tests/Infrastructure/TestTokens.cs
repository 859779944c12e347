using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// An HMAC signing key of its own, the Orders.Api settings that trust it (the standard Authentication:Schemes:Bearer
/// section), and tokens signed with it, right or wrong in one way at a time.
/// </summary>
public sealed class TestTokens
{
    public const string Issuer = "orders-tests-issuer";
    public const string Audience = "orders-tests-audience";

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    public IReadOnlyDictionary<string, string?> ApiSettings => new Dictionary<string, string?>
    {
        ["Orders:Authentication:Enabled"] = "true",
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(key),
    };

    /// <param name="scope">Space-separated scopes, as OAuth sends them; null for a token without a scope claim.</param>
    /// <param name="scopeClaim">OAuth's <c>scope</c>, or Microsoft Entra's <c>scp</c>.</param>
    public string Mint(
        string? scope, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null, byte[]? signingKey = null,
        string scopeClaim = "scope")
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(10));
        var claims = new List<Claim> { new("sub", "orders-tests") };
        if (scope is not null)
        {
            claims.Add(new Claim(scopeClaim, scope));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            // An expired token must also have been issued and valid before it expired.
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? key), SecurityAlgorithms.HmacSha256),
        });
    }
}
