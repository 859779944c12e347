using System.Text.Json;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>A project's launch profile (Properties/launchSettings.json), applied the way Aspire applies it: its name as DOTNET_LAUNCH_PROFILE and its environment variables.</summary>
internal sealed record LaunchProfile(string Name, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The first profile with commandName "Project", or null when the project has none.</summary>
    public static LaunchProfile? Read(string projectPath)
    {
        var file = Path.Combine(Path.GetDirectoryName(projectPath)!, "Properties", "launchSettings.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("profiles", out var profiles))
        {
            return null;
        }

        foreach (var profile in profiles.EnumerateObject())
        {
            if (profile.Value.TryGetProperty("commandName", out var command) && command.GetString() == "Project")
            {
                var environment = profile.Value.TryGetProperty("environmentVariables", out var variables)
                    ? variables.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? "", StringComparer.Ordinal)
                    : [];
                return new LaunchProfile(profile.Name, environment);
            }
        }

        return null;
    }
}
