using Microsoft.Extensions.Options;
using Orders.Client.Parsing;

namespace Orders.Client.Interceptors;

/// <summary>Configuration section <c>Orders:Client</c>.</summary>
public sealed class ClientCallOptions
{
    public const string SectionName = "Orders:Client";

    public const string DefaultDeadlineKey = $"{SectionName}:{nameof(DefaultDeadline)}";

    /// <summary><c>Orders:Client:DefaultDeadline</c>, written like <c>--deadline</c>: applied to every call that sets no deadline of its own.</summary>
    [Duration]
    public string DefaultDeadline { get; set; } = "10s";

    /// <summary><c>Orders:Client:Token</c>: the bearer token when <c>--token</c> is not given (an environment variable, which <c>ps</c> does not show).</summary>
    public string? Token { get; set; }

    /// <summary><see cref="DefaultDeadline"/> as a time span; the validator has refused a value that is none.</summary>
    public TimeSpan DefaultDeadlineSpan => DurationParser.Parse(DefaultDeadline, DefaultDeadlineKey);
}

/// <summary>Checks the section at start; generated, so each failure names its setting.</summary>
[OptionsValidator]
public sealed partial class ClientCallOptionsValidator : IValidateOptions<ClientCallOptions>;
