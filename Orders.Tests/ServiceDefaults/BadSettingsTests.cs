using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orders.Tests.ServiceDefaults;

/// <summary>
/// The line an operator reads when a setting is refused: the configuration key, the value, and what the key accepts,
/// whichever layer refused it and however the host wrapped the refusal.
/// </summary>
public sealed class BadSettingsTests
{
    private const string Section = "Test";

    [Theory]
    [InlineData(nameof(Settings.Mode), "Maybe", "Test:Mode: 'Maybe' is not one of Off, On.")]
    [InlineData(nameof(Settings.Enabled), "yes", "Test:Enabled: 'yes' is not true or false.")]
    [InlineData(nameof(Settings.Count), "many", "Test:Count: 'many' is not a whole number.")]
    [InlineData(nameof(Settings.OptionalCount), "1.5", "Test:OptionalCount: '1.5' is not a whole number.")]
    [InlineData(nameof(Settings.Bytes), "big", "Test:Bytes: 'big' is not a whole number.")]
    [InlineData(nameof(Settings.Timeout), "2 seconds", "Test:Timeout: '2 seconds' is not a time span (hh:mm:ss, e.g. 00:00:02).")]
    [InlineData(nameof(Settings.Address), "http://[", "Test:Address: 'http://[' is not a URL.")]
    [InlineData(nameof(Settings.Ratio), "half", "Test:Ratio: 'half' is not a Double.")]
    public void AValueOfTheWrongForm_IsOneLineNamingTheKeyAndWhatItAccepts(string member, string value, string line)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>($"{Section}:{member}", value)])
            .Build();

        var refused = Assert.Throws<InvalidOperationException>(() => configuration.GetSection(Section).Get<Settings>());

        Assert.Equal([line], BadSettings.Describe(refused));
    }

    [Fact]
    public void ATypeNoLoadedAssemblyKnows_IsNamedAsTheBinderNamedIt()
    {
        var refused = new InvalidOperationException("Failed to convert configuration value 'x' at 'Test:Gone' to type 'No.Such.Type'.");

        Assert.Equal(["Test:Gone: 'x' is not a No.Such.Type."], BadSettings.Describe(refused));
    }

    [Fact]
    public void EveryRefusalInsideTheHostsWrappersIsReported_OneLineEach()
    {
        var wrapped = new AggregateException(
            new TargetInvocationException(new BadSettingException("Test:A contradicts Test:B.")),
            new BadSettingException("Test:C is not set."));

        Assert.Equal(["Test:A contradicts Test:B.", "Test:C is not set."], BadSettings.Describe(wrapped));
    }

    [Fact]
    public void AFailureThatIsNoSetting_IsNoLine()
    {
        Assert.Empty(BadSettings.Describe(new InvalidOperationException("The host is already running.")));
        Assert.Empty(BadSettings.Describe(new TargetInvocationException(null)));
    }

    [Fact]
    public void AValidatorsFailure_NamesTheKeyInsteadOfTheMemberPath()
    {
        var refused = new OptionsValidationException(Options.DefaultName, typeof(Settings), [
            "Count: The field Settings.Limits.Count must be between 1 and 10.",
            "The field Settings.Ratio must be a number.",
            "Settings has no limits.",
        ]);

        Assert.Equal(
            ["Test:Limits:Count must be between 1 and 10.", "Test:Ratio must be a number.", "Settings has no limits."],
            BadSettings.Describe(refused));
    }

    [Fact]
    public void AnOptionsClassWithoutASection_KeepsTheValidatorsWords()
    {
        var refused = new OptionsValidationException(Options.DefaultName, typeof(Unsectioned), ["Count: The field Unsectioned.Count must be positive."]);

        Assert.Equal(["Count: The field Unsectioned.Count must be positive."], BadSettings.Describe(refused));
    }

    internal enum Mode
    {
        Off,
        On,
    }

    private sealed class Settings
    {
        public const string SectionName = Section;

        public Mode Mode { get; set; }

        public bool Enabled { get; set; }

        public int Count { get; set; }

        public int? OptionalCount { get; set; }

        public long Bytes { get; set; }

        public TimeSpan Timeout { get; set; }

        public Uri? Address { get; set; }

        public double Ratio { get; set; }
    }

    private sealed class Unsectioned
    {
        public int Count { get; set; }
    }
}
