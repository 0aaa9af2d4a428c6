using System.Runtime.InteropServices;

namespace CommerceOS.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var stdout = Console.Out;
        if (args is not ["serve" or "worker", ..])
        {
            // Data commands print their results on stdout (e.g. `cos apikey create` prints only the key, for
            // scripts); the host's log lines go to stderr so they never mix with them.
            Console.SetOut(Console.Error);
        }

        // Signals are ours, not System.CommandLine's (its handler threw when a second signal arrived while it
        // waited for the first, e.g. `timeout` signalling the child and its group): the first SIGINT or SIGTERM
        // cancels the command, which stops cleanly; a later one is left to the default action and ends the process.
        using var stop = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await CosCli.RunAsync(args, stdout, Console.Error, stop.Token);
    }
}
