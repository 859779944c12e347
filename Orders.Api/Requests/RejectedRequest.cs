using Grpc.Core;

namespace Orders.Api.Requests;

/// <summary>
/// The defect of a single-message request that <see cref="CheckedRequestBody"/> set aside, kept in the call's user
/// state (the request's <c>HttpContext.Items</c>) until the interceptor fails the call with it.
/// </summary>
public static class RejectedRequest
{
    private static readonly object Key = new();

    internal static void SetAside(HttpContext httpContext, RpcException defect) => httpContext.Items[Key] = defect;

    /// <summary>Throws the defect set aside for this call, if any: the request message the handler would get is not the caller's.</summary>
    public static void ThrowIfAny(ServerCallContext context)
    {
        if (context.UserState.TryGetValue(Key, out var defect))
        {
            throw (RpcException)defect;
        }
    }
}
