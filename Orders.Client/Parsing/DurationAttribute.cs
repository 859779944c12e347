using System.ComponentModel.DataAnnotations;

namespace Orders.Client.Parsing;

/// <summary>A setting written as a duration the way <see cref="DurationParser"/> reads it (<c>250ms</c>, <c>5s</c>, <c>1m</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        DurationParser.Check(value as string, out _) is { } problem
            ? new ValidationResult($"{validationContext.DisplayName}: '{value}' {problem}.", validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;
}
