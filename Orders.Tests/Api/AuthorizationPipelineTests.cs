using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// Authorization runs per call only while authentication is on (docs/security.md): off, calls are served without the
/// authorization middleware evaluating any policy; on, a call without a token is still evaluated and refused.
/// </summary>
public sealed class AuthorizationPipelineTests
{
    private static readonly StringValue Order101 = new() { Value = "101" };

    [Fact]
    public async Task WithAuthenticationOff_CallsAreServedWithoutEvaluatingAPolicy()
    {
        var evaluations = new PolicyEvaluations();
        await using var api = new OrdersApiFactory(configureServices: evaluations.Register);

        var order = await api.CreateOrdersClient().getOrderAsync(Order101);

        Assert.Equal("101", order.Id);
        Assert.Equal(0, evaluations.Count);
    }

    [Fact]
    public async Task WithAuthenticationOn_ACallWithoutATokenIsEvaluatedAndRefused()
    {
        var evaluations = new PolicyEvaluations();
        await using var api = new OrdersApiFactory(new TestTokens().ApiSettings, evaluations.Register);

        var refusal = await Assert.ThrowsAsync<RpcException>(() => api.CreateOrdersClient().getOrderAsync(Order101).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refusal.StatusCode);
        Assert.Equal(1, evaluations.Count);
    }

    /// <summary>Counts the calls whose policy the authorization middleware evaluated; ASP.NET Core's evaluator decides.</summary>
    private sealed class PolicyEvaluations
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Register(IServiceCollection services) => services.AddTransient<IPolicyEvaluator>(provider =>
            new CountingEvaluator(ActivatorUtilities.CreateInstance<PolicyEvaluator>(provider), this));

        private sealed class CountingEvaluator(PolicyEvaluator inner, PolicyEvaluations evaluations) : IPolicyEvaluator
        {
            public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
            {
                Interlocked.Increment(ref evaluations.count);
                return inner.AuthenticateAsync(policy, context);
            }

            public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
                inner.AuthorizeAsync(policy, authenticationResult, context, resource);
        }
    }
}
