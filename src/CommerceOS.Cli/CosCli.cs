using System.CommandLine;

namespace CommerceOS.Cli;

/// <summary>
/// The <c>cos</c> command line. <see cref="Program"/> runs it with the console; tests run it in-process
/// with their own writers. Exit codes: 0 success, 1 refused or failed (nothing stored); <c>products import</c>
/// uses 1 for "some rows failed" and 2 for "nothing imported" (file refused, unknown user); <c>run</c> uses 1 for "some runs did
/// not succeed" and 2 for "nothing started" (validation, plan, quota). Options a command does not know (such as
/// <c>--CommerceOS:DataDirectory DIR</c> or <c>--Database:ConnectionString CS</c>) are host configuration,
/// read exactly as <c>cos serve</c> reads them; put them after the command's own arguments.
/// </summary>
public static class CosCli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("cos — the CommerceOS command line. Uses the same configuration and data folder as the server when run from the same place.");
        root.Add(HostCommands.Serve());
        root.Add(HostCommands.Worker());
        root.Add(HostCommands.Migrate());
        root.Add(AccountCommands.User());
        root.Add(AccountCommands.ApiKey());
        root.Add(CatalogCommands.Products());
        root.Add(WorkflowCommands.Run());
        root.Add(WorkflowCommands.Runs());
        root.Add(ExportCommands.Export());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; results go to <paramref name="output"/>, diagnostics to <paramref name="error"/> (default: the same writer).</summary>
    /// <param name="cancellationToken">Stops the command; <see cref="Program"/> cancels it on SIGINT or SIGTERM (System.CommandLine's own signal handling is off).</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error ?? output,
            ProcessTerminationTimeout = null,
        };
        return CreateRootCommand().Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
