using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one settings pattern of every app here: an options class bound from its configuration section and checked by
/// its source-generated validator (<c>[OptionsValidator]</c> over DataAnnotations) before the app serves anything.
/// A refused value, or a key the class does not read (<see cref="KnownSettings"/>), is reported by <see cref="BadSettings"/>
/// as one line naming the key and what it accepts.
/// </summary>
public static class ValidatedOptions
{
    /// <summary><typeparamref name="TOptions"/> from <paramref name="sectionName"/>, checked when the host starts (ValidateOnStart).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        // Once, however often it is called: each registered validator would report the same refusal again.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(new OptionsSection<TOptions>(sectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, KnownSettingsValidator<TOptions>>());
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }

    /// <summary>
    /// <see cref="AddValidatedOptions{TOptions, TValidator}"/>, and the checked value now, for what the app decides
    /// while it is built (which services to add, which ports to open): a refused value throws here, before anything starts.
    /// </summary>
    public static TOptions AddValidatedOptions<TOptions, TValidator>(this IHostApplicationBuilder builder, string sectionName)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        builder.Services.AddValidatedOptions<TOptions, TValidator>(sectionName);
        if (KnownSettings.FirstUnknown(builder.Configuration.GetSection(sectionName), typeof(TOptions)) is { } unknown)
        {
            throw new BadSettingException(unknown);
        }

        var options = builder.Configuration.GetSection(sectionName).Get<TOptions>() ?? new TOptions();
        var result = new TValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(TOptions), result.Failures) : options;
    }
}
