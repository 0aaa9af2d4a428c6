using System.ComponentModel;
using System.Diagnostics;

namespace CommerceOS.Engines.Video;

/// <summary>Starts ffmpeg or ffprobe from an argument list, never through a shell, with stdout and stderr captured.</summary>
internal static class MediaTool
{
    public static Process Start(string executable, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{executable} is not installed or not on PATH (./dev.sh installs it).", e);
        }
    }
}
