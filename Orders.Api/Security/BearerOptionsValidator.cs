using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orders.Api.Security;

/// <summary>
/// Refuses to start with authentication on but the token checks unconfigured or switched off: otherwise every call would
/// fail later with an obscure reason, or (with ValidateIssuer/ValidateAudience false) tokens minted for anyone would pass.
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
        if (!parameters.ValidateIssuer || (string.IsNullOrEmpty(parameters.ValidIssuer) && !(parameters.ValidIssuers?.Any(issuer => !string.IsNullOrEmpty(issuer)) ?? false)))
        {
            failures.Add($"{Section}:ValidIssuer (or ValidIssuers) is required, and ValidateIssuer may not be false, when {OrdersAuthenticationExtensions.EnabledKey} is true.");
        }

        if (!parameters.ValidateAudience || (string.IsNullOrEmpty(parameters.ValidAudience) && !(parameters.ValidAudiences?.Any(audience => !string.IsNullOrEmpty(audience)) ?? false)))
        {
            failures.Add($"{Section}:ValidAudiences (or ValidAudience) is required, and ValidateAudience may not be false, when {OrdersAuthenticationExtensions.EnabledKey} is true.");
        }

        if (options.Authority is null && !(parameters.IssuerSigningKeys?.Any() ?? false))
        {
            failures.Add($"{Section}:Authority or {Section}:SigningKeys (with an Issuer matching ValidIssuer and a base64 Value) is required when {OrdersAuthenticationExtensions.EnabledKey} is true.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
