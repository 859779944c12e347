using OrdersAspire.Shared;

namespace OrdersAspire.AppHost;

/// <summary>
/// The command line, checked before Aspire reads it (Aspire would throw on an unknown <c>-x</c> and silently ignore a
/// misspelt <c>--name</c>). <c>--help</c> or <c>-h</c> prints every setting. A <c>--name</c> of lowercase letters,
/// digits and dashes must be one of the AppHost's settings or one of Aspire's switches; any other name (with a
/// capital, ':', '_' or '.', such as <c>--ASPNETCORE_URLS=…</c> or <c>--Logging:LogLevel:Default=Debug</c>) is a
/// configuration key and passes as is. Each <c>--name</c> takes the next argument as its value unless written <c>--name=value</c>.
/// </summary>
internal static class AppHostCommandLine
{
    // DistributedApplicationBuilder's switch mappings (run, publish, exec) and the host's --environment, as the Aspire CLI passes them.
    private static readonly string[] AspireSwitches =
    [
        "operation", "publisher", "step", "output-path", "log-level", "include-exception-details", "clear-cache",
        "dcp-cli-path", "dcp-container-runtime", "dcp-dependency-check-timeout", "dcp-dashboard-path",
        "resource", "start-resource", "command", "workdir", "environment",
    ];

    /// <summary>The exit code when the AppHost must not start: 0 after the help, 2 after one line on stderr naming the bad argument; otherwise null.</summary>
    public static int? Check(IReadOnlyList<string> args)
    {
        try
        {
            if (!Validate(args))
            {
                return null;
            }

            AppHostHelp.Write(Console.Out, [.. args.Where(arg => !IsHelp(arg))]);
            return 0;
        }
        catch (AppHostSettingsException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Usage;
        }
    }

    /// <summary>True when --help or -h is among the arguments; throws on the first bad one.</summary>
    private static bool Validate(IReadOnlyList<string> args)
    {
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (IsHelp(arg))
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new AppHostSettingsException($"{arg}: not a setting; settings are --name value or --name=value (see --help).");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            var hasValue = equals >= 0 || ++i < args.Count;
            if (!IsAppStyle(name) || AspireSwitches.Contains(name))
            {
                continue;
            }

            if (!AppHostSettings.All.Any(setting => setting.Name == name))
            {
                throw new AppHostSettingsException($"--{name}: unknown setting; {(Closest(name) is { } known ? $"did you mean --{known}?" : "see --help for the settings.")}");
            }

            if (!hasValue)
            {
                throw new AppHostSettingsException($"--{name}: no value; give one ({AppHostSettings.All.First(setting => setting.Name == name).Accepts}) or leave {name} out.");
            }
        }

        return help;
    }

    private static bool IsHelp(string arg) => arg is "--help" or "-h";

    private static bool IsAppStyle(string name) => name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>The known setting or switch nearest to a misspelt name, when it is near enough to be what was meant.</summary>
    private static string? Closest(string name) => NearestName.Of(name, AppHostSettings.All.Select(setting => setting.Name).Concat(AspireSwitches));
}
