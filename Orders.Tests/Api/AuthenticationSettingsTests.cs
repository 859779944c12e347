using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orders.Tests.Infrastructure;
using AuthenticationOptions = Orders.Api.Options.AuthenticationOptions;
using AuthenticationExtensions = Microsoft.Extensions.Hosting.OrdersAuthenticationExtensions;

namespace Orders.Tests.Api;

/// <summary>
/// With authentication on, the bearer options are refused unless issuer, audience and signing keys are checked, naming the
/// setting (at start, as OrdersApiProcessTests shows for a real process).
/// </summary>
public sealed class AuthenticationSettingsTests
{
    [Theory]
    [InlineData("Authentication:Schemes:Bearer:ValidIssuer", null, "Authentication:Schemes:Bearer:ValidIssuer (or ValidIssuers) is required")]
    [InlineData("Authentication:Schemes:Bearer:ValidAudiences:0", null, "Authentication:Schemes:Bearer:ValidAudiences (or ValidAudience) is required")]
    [InlineData("Authentication:Schemes:Bearer:ValidateAudience", "false", "ValidateAudience may not be false")]
    [InlineData("Authentication:Schemes:Bearer:ValidateIssuer", "false", "ValidateIssuer may not be false")]
    [InlineData("Authentication:Schemes:Bearer:SigningKeys:0:Value", null, "Authentication:Schemes:Bearer:Authority or Authentication:Schemes:Bearer:SigningKeys")]
    public async Task AMissingOrDisabledTokenCheckIsRefused(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(new TestTokens().ApiSettings);
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }

        await using var app = Build(settings);

        var refused = Assert.Throws<OptionsValidationException>(() => BearerOptions(app));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The control: each refusal above comes from the one setting its row changes.</summary>
    [Fact]
    public async Task TheCompleteSettingsAreAccepted()
    {
        await using var app = Build(new TestTokens().ApiSettings);

        var parameters = BearerOptions(app).TokenValidationParameters;
        Assert.Equal((TestTokens.Issuer, TestTokens.Audience, 1), (parameters.ValidIssuer, Assert.Single(parameters.ValidAudiences), parameters.IssuerSigningKeys.Count()));
    }

    private static WebApplication Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        AuthenticationExtensions.AddOrdersAuthentication(builder, new AuthenticationOptions { Enabled = builder.Configuration.GetValue<bool>(AuthenticationExtensions.EnabledKey) });
        return builder.Build();
    }

    private static JwtBearerOptions BearerOptions(WebApplication app) =>
        app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
}
