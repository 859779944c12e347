using Microsoft.AspNetCore.Authorization;

namespace Orders.Api.Security;

/// <summary>The token must carry at least one of <see cref="AnyOf"/> in its <c>scope</c> or <c>scp</c> claim.</summary>
public sealed class ScopeRequirement(params string[] anyOf) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>OAuth's <c>scope</c> (RFC 8693) and Microsoft Entra's <c>scp</c>: either a space-separated string or one claim per scope.</summary>
    private static readonly string[] ScopeClaimTypes = ["scope", "scp"];

    public IReadOnlyList<string> AnyOf { get; } = anyOf;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = context.User.Claims
            .Where(claim => ScopeClaimTypes.Contains(claim.Type, StringComparer.Ordinal))
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (granted.Intersect(requirement.AnyOf, StringComparer.Ordinal).Any())
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
