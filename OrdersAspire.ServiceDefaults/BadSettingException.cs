namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A setting refused by a check no validator attribute can express (two settings that contradict each other, a value
/// Kestrel's own setter rejects); its message is the one line <see cref="BadSettings"/> reports, naming the key.
/// </summary>
public sealed class BadSettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
