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

        return await CosCli.RunAsync(args, stdout, Console.Error);
    }
}
