using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Orders.Api.Security;

/// <summary>
/// Refuses to start with authentication on but token checks missing: AddJwtBearer's configuration reader turns issuer
/// and audience validation off when their settings are absent, which would accept tokens minted for anyone.
/// </summary>
public sealed class BearerOptionsValidator : IValidateOptions<JwtBearerOptions>
{
    private const string Section = "Authentication:Schemes:Bearer";

    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return ValidateOptionsResult.Skip;
        }

        var parameters = options.TokenValidationParameters;
        var failures = new List<string>();
        if (!parameters.ValidateIssuer || !(parameters.ValidIssuers?.Any() ?? false))
        {
            failures.Add($"{Section}:ValidIssuer is required when Orders:Authentication:Enabled is true.");
        }

        if (!parameters.ValidateAudience || !(parameters.ValidAudiences?.Any() ?? false))
        {
            failures.Add($"{Section}:ValidAudiences (or ValidAudience) is required when Orders:Authentication:Enabled is true.");
        }

        if (options.Authority is null && !(parameters.IssuerSigningKeys?.Any() ?? false))
        {
            failures.Add($"{Section}:Authority or {Section}:SigningKeys (with an Issuer matching ValidIssuer and a base64 Value) is required when Orders:Authentication:Enabled is true.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
