using Grpc.Core;

namespace Orders.Api.Security;

/// <summary>
/// The authorization middleware's verdict on a gRPC call it refused, kept as a request feature so that the call
/// reaches the interceptors and ends there with <see cref="Status"/>: logged, traced and counted like any other call.
/// </summary>
public sealed record CallRefusal(Status Status);
