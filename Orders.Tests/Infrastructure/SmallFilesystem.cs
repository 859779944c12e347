using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A tmpfs of a few megabytes mounted on a temp folder (the tests run as root), to fill up for real: a disk that is
/// full, not a store told to fail. Disposing unmounts it and removes the folder; kill what has files open in it first.
/// </summary>
public sealed class SmallFilesystem : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    public static async Task<SmallFilesystem> MountAsync(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("orders-small-fs-").FullName;
        var mount = await ExternalCommand.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path], CommandTimeout);
        if (mount.ExitCode != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"A tmpfs could not be mounted (the tests need root): {mount}");
        }

        return new SmallFilesystem(path);
    }

    /// <summary>Writes a file until the filesystem has no space left; returns how many bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. The stream is unbuffered, so disposing it has nothing left to write and cannot fail again.
            return filler.Length;
        }
    }

    public void Free() => File.Delete(FillerPath);

    public async ValueTask DisposeAsync()
    {
        (await ExternalCommand.RunAsync("umount", [Path], CommandTimeout)).EnsureSuccess();
        Directory.Delete(Path);
    }
}
