using System.Text;

namespace CommerceOS.Engines.Video;

/// <summary>ffmpeg failed: its exit code and the end of what it wrote to stderr (never shown to sellers as is).</summary>
public sealed class FfmpegException(int exitCode, string stderrTail) : Exception($"ffmpeg exited with {exitCode}: {stderrTail}")
{
    public int ExitCode { get; } = exitCode;

    public string StderrTail { get; } = stderrTail;
}

/// <summary>
/// Runs ffmpeg with an argument list, never through a shell: every argument is one argv entry, so no text a seller typed
/// can become an option, a filter or a command. Progress comes from <c>-progress pipe:1</c>; cancelling kills ffmpeg's
/// whole process tree and waits for it, so no encoder keeps writing into a folder about to be deleted.
/// </summary>
public static class FfmpegProcess
{
    public const string Executable = "ffmpeg";

    private const int StderrTailBytes = 4096;

    /// <param name="workingDirectory">Where relative paths in the arguments resolve (the captions file inside the filter graph).</param>
    public static async Task RunAsync(IReadOnlyList<string> arguments, TimeSpan expectedDuration, IProgress<double>? progress, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string[] fixedArguments = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1", "-y"];
        using var process = MediaTool.Start(Executable, [.. fixedArguments, .. arguments], workingDirectory);
        var stderr = new StringBuilder();
        var errors = Task.Run(async () =>
        {
            var buffer = new char[1024];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                lock (stderr)
                {
                    stderr.Append(buffer, 0, read);
                    if (stderr.Length > StderrTailBytes * 2)
                    {
                        stderr.Remove(0, stderr.Length - StderrTailBytes);
                    }
                }
            }
        }, CancellationToken.None);

        var reader = new FfmpegProgress(expectedDuration);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (reader.Read(line) is { } fraction)
                {
                    progress?.Report(fraction);
                }
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        await errors;
        if (process.ExitCode != 0)
        {
            string tail;
            lock (stderr)
            {
                tail = stderr.Length > StderrTailBytes ? stderr.ToString(stderr.Length - StderrTailBytes, StderrTailBytes) : stderr.ToString();
            }

            throw new FfmpegException(process.ExitCode, tail.Trim());
        }
    }
}
