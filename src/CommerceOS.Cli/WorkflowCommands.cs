using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CommerceOS.Core.Common;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Cli;

/// <summary>
/// <c>cos run</c> (a template over products, optionally waiting with a progress bar) and <c>cos runs list/show/cancel/retry</c>,
/// in-process against the database through the same use cases as the API.
/// </summary>
internal static class WorkflowCommands
{
    public const int ExitSomeFailed = 1;
    public const int ExitNothingStarted = 2;

    public const string StatusInvalid = WorkflowsApi.Errors.StatusInvalid;
    public const string ProductsInvalid = "cli.workflows.products_invalid";
    public const string IdInvalid = "cli.workflows.id_invalid";
    public const string BatchInvalid = "cli.workflows.batch_invalid";
    public const string WaitStopped = "cli.workflows.wait_stopped";

    /// <summary>How often the wait loop reads the batch and redraws the bar.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Host configuration of a waiting command: it runs the job workers and the workflow engine itself (role all, the one
    /// role SQLite allows; it works when no server runs, and with one running both take work from the same database), its
    /// HTTP side on a loopback port the system picks, so it never collides with a server and nobody else reaches it.
    /// </summary>
    private static readonly string[] WorkerOverrides = ["--Role", "all", "--urls", "http://127.0.0.1:0"];

    public static Command Run()
    {
        var template = new Option<string>("--template") { Description = "A built-in template (amazon-full, quick-shoot, ...) or a workspace template's ID.", Required = true };
        var products = new Option<string>("--products") { Description = "all, or product IDs separated by commas.", Required = true };
        var marketplaces = new Option<string?>("--marketplaces") { Description = "Marketplaces separated by commas (e.g. amazon,shopify); default: the template's." };
        var email = new Option<string?>("--email") { Description = "Run in this user's default workspace (optional when there is only one user)." };
        var wait = new Option<bool>("--wait")
        {
            Description = "Wait until the batch has finished, with a progress bar on standard error, running the job workers in this process; then print the summary.",
        };
        var command = new Command(
            "run",
            "Run a workflow template over products (one run per product, in one batch) and print the batch ID. "
            + "Exit code 0 when started (with --wait: when every run succeeded), 1 when some runs did not succeed, 2 when nothing could start (validation, plan, quota).")
        {
            template, products, marketplaces, email, wait,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => RunAsync(
            result,
            result.GetRequiredValue(template),
            result.GetRequiredValue(products),
            result.GetValue(marketplaces),
            result.GetValue(email),
            result.GetValue(wait),
            cancellationToken));
        return command;
    }

    public static Command Runs()
    {
        var listBatch = new Option<string?>("--batch") { Description = "Only the runs of this batch." };
        var listStatus = new Option<string?>("--status") { Description = "Only runs with this status: running, awaitingApproval, succeeded, failed or cancelled." };
        var listPage = new Option<int>("--page") { Description = "Page number (200 runs a page, newest first).", DefaultValueFactory = _ => 1 };
        var listEmail = EmailOption();
        var list = new Command("list", "List workflow runs, newest first.") { listBatch, listStatus, listPage, listEmail };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((result, cancellationToken) => ListAsync(
            result, result.GetValue(listBatch), result.GetValue(listStatus), result.GetValue(listPage), result.GetValue(listEmail), cancellationToken));

        var showId = RunIdArgument();
        var showEmail = EmailOption();
        var show = new Command("show", "Show a run: each step with its status, provider, units, duration and error.") { showId, showEmail };
        show.TreatUnmatchedTokensAsErrors = false;
        show.SetAction((result, cancellationToken) => ShowAsync(result, result.GetRequiredValue(showId), result.GetValue(showEmail), cancellationToken));

        var cancelId = RunIdArgument();
        var cancelEmail = EmailOption();
        var cancel = new Command("cancel", "Cancel a run: waiting steps are cancelled, running jobs stopped and their quota returned.") { cancelId, cancelEmail };
        cancel.TreatUnmatchedTokensAsErrors = false;
        cancel.SetAction((result, cancellationToken) => ControlAsync(
            result, result.GetRequiredValue(cancelId), result.GetValue(cancelEmail), wait: false, (control, id, ct) => control.CancelAsync(id, ct), cancellationToken));

        var retryId = RunIdArgument();
        var retryStep = new Option<string?>("--step") { Description = "Run only this step again (its key as runs show prints it, e.g. scene@amazon); default: resume the run." };
        var retryEmail = EmailOption();
        var retryWait = new Option<bool>("--wait") { Description = "Wait until the run has stopped again, running the job workers in this process." };
        var retry = new Command("retry", "Resume a failed or cancelled run (the steps that did not succeed run again), or re-run one step.")
        {
            retryId, retryStep, retryEmail, retryWait,
        };
        retry.TreatUnmatchedTokensAsErrors = false;
        retry.SetAction((result, cancellationToken) =>
        {
            var step = result.GetValue(retryStep);
            return ControlAsync(
                result,
                result.GetRequiredValue(retryId),
                result.GetValue(retryEmail),
                result.GetValue(retryWait),
                step is null ? (control, id, ct) => control.ResumeAsync(id, ct) : (control, id, ct) => control.RerunStepAsync(id, step, ct),
                cancellationToken);
        });

        return new Command("runs", "List, inspect, cancel and retry workflow runs.") { list, show, cancel, retry };
    }

    private static Option<string?> EmailOption() =>
        new("--email") { Description = "Use this user's default workspace (optional when there is only one user)." };

    private static Argument<string> RunIdArgument() => new("RUN_ID") { Description = "The run's ID." };

    private static async Task<int> RunAsync(
        ParseResult parseResult, string template, string products, string? marketplaces, string? email, bool wait, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken, wait ? WorkerOverrides : null);
        var productIds = new List<Guid>();
        var all = string.Equals(products.Trim(), "all", StringComparison.OrdinalIgnoreCase);
        if (!all)
        {
            foreach (var item in Split(products))
            {
                if (!Guid.TryParse(item, out var id))
                {
                    await host.FailAsync(host.Describe(ProductsInvalid, [item]));
                    return ExitNothingStarted;
                }

                productIds.Add(id);
            }
        }

        StartWorkflowRuns.Started started;
        Member member;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            if (!await CatalogCommands.EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
            {
                return ExitNothingStarted;
            }

            member = Member.Of(scope.ServiceProvider);
            var result = await scope.ServiceProvider.GetRequiredService<StartWorkflowRuns>().HandleAsync(
                new StartWorkflowRuns.Request(template, productIds, all, marketplaces is null ? null : Split(marketplaces), "en"),
                cancellationToken);
            if (!result.IsSuccess)
            {
                await host.FailAsync(result.Errors.Select(host.Describe));
                return ExitNothingStarted;
            }

            started = result.Value;
        }

        await host.Output.WriteLineAsync(started.Batch.Id.ToString());
        var units = started.Units.Count == 0 ? "none" : string.Join(", ", started.Units.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key} {u.Value}"));
        await host.Error.WriteLineAsync(
            $"Started {started.Runs.Count} run(s) of {started.Batch.TemplateName} on {string.Join(", ", Strings(started.Batch.MarketplacesJson))}; units it will use: {units}.");
        if (!wait)
        {
            return 0;
        }

        var report = await WaitAsync(host, member, started.Batch.Id, async services =>
        {
            var batch = (await services.GetRequiredService<GetWorkflowBatch>().HandleAsync(started.Batch.Id, cancellationToken)).Value;
            return (batch, new Progress(batch.Runs - batch.Running, batch.Runs, batch.StepsDone, batch.Steps, batch.Failed + batch.Cancelled, batch.Running == 0));
        }, cancellationToken);
        if (report is null)
        {
            return ExitSomeFailed;
        }

        await PrintSummaryAsync(host, report);
        return report.Succeeded == report.Runs ? 0 : ExitSomeFailed;
    }

    private static async Task PrintSummaryAsync(CliHost host, BatchReport report)
    {
        var output = host.Output;
        await output.WriteLineAsync(
            $"Batch {report.Batch.Id}: {report.Batch.TemplateName} over {report.Runs} product(s) on {string.Join(", ", report.Marketplaces)}.");
        await output.WriteLineAsync(
            $"Succeeded {report.Succeeded}, failed {report.Failed}, cancelled {report.Cancelled}, awaiting approval {report.AwaitingApproval}; steps {report.StepsDone}/{report.Steps}.");
        var charged = report.UnitsCharged.Where(u => u.Value > 0).OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key} {u.Value}").ToList();
        await output.WriteLineAsync($"Units charged: {(charged.Count == 0 ? "none" : string.Join(", ", charged))}.");
        if (report.Failures.Count > 0)
        {
            await output.WriteLineAsync("Failed runs:");
            foreach (var failure in report.Failures)
            {
                await output.WriteLineAsync(
                    $"  {failure.RunId} {Product(failure.ProductTitle, failure.ProductId)}: step {failure.StepKey}: {DescribeStep(host, failure.Error, failure.ErrorArgs)}");
            }
        }

        if (report.ComplianceFailures.Count > 0)
        {
            await output.WriteLineAsync("Compliance failures:");
            foreach (var failure in report.ComplianceFailures)
            {
                await output.WriteLineAsync(
                    $"  {failure.RunId} {Product(failure.ProductTitle, failure.ProductId)} on {failure.Marketplace}: {failure.Blocking} blocking problem(s), {failure.Warnings} warning(s)");
            }
        }

        if (report.AwaitingApproval > 0)
        {
            await output.WriteLineAsync($"{report.AwaitingApproval} run(s) wait for an approval in the app (or POST /api/v1/workflows/runs/{{id}}/steps/{{key}}/approve).");
        }
    }

    private static async Task<int> ListAsync(
        ParseResult parseResult, string? batch, string? status, int page, string? email, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        Guid? batchId = null;
        if (batch is not null)
        {
            if (!Guid.TryParse(batch, out var parsedBatch))
            {
                await host.FailAsync(host.Describe(BatchInvalid, [batch]));
                return 1;
            }

            batchId = parsedBatch;
        }

        WorkflowRunStatus? filter = null;
        if (status is not null)
        {
            if (!WorkflowsApi.RunStatuses.TryGetValue(status, out var parsedStatus))
            {
                await host.FailAsync(host.Describe(StatusInvalid, []));
                return 1;
            }

            filter = parsedStatus;
        }

        await using var scope = host.Services.CreateAsyncScope();
        if (!await CatalogCommands.EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
        {
            return 1;
        }

        var result = await scope.ServiceProvider.GetRequiredService<ListWorkflowRuns>()
            .HandleAsync(new ListWorkflowRuns.Request(batchId, null, filter, page, ListWorkflowRuns.MaxPageSize), cancellationToken);
        if (!result.IsSuccess)
        {
            await host.FailAsync(result.Errors.Select(host.Describe));
            return 1;
        }

        foreach (var run in result.Value.Items)
        {
            await host.Output.WriteLineAsync(
                $"{run.Id}  {Name(run.Status),-16} {run.StepsDone,3}/{run.StepCount,-3} steps  {run.TemplateId,-16} {Product(run.ProductTitle, run.ProductId)}");
        }

        var first = ((result.Value.PageNumber - 1) * result.Value.PageSize) + 1;
        await host.Output.WriteLineAsync(result.Value.Items.Count == 0
            ? $"No runs (of {result.Value.Total})."
            : $"Runs {first}-{first + result.Value.Items.Count - 1} of {result.Value.Total}.");
        return 0;
    }

    private static async Task<int> ShowAsync(ParseResult parseResult, string runId, string? email, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        if (!Guid.TryParse(runId, out var id))
        {
            await host.FailAsync(host.Describe(IdInvalid, [runId]));
            return 1;
        }

        await using var scope = host.Services.CreateAsyncScope();
        if (!await CatalogCommands.EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
        {
            return 1;
        }

        var result = await scope.ServiceProvider.GetRequiredService<GetWorkflowRun>().HandleAsync(id, cancellationToken);
        if (!result.IsSuccess)
        {
            await host.FailAsync(result.Errors.Select(host.Describe));
            return 1;
        }

        await PrintRunAsync(host, result.Value);
        return 0;
    }

    private static async Task PrintRunAsync(CliHost host, RunView run)
    {
        var output = host.Output;
        var sku = run.ProductSku is { Length: > 0 } value ? $", SKU {value}" : "";
        await output.WriteLineAsync($"Run {run.Id}: {run.TemplateName} ({run.TemplateId}) on {run.ProductTitle} ({run.ProductId}{sku})");
        await output.WriteLineAsync(
            $"Status {Name(run.Status)}; steps {run.StepsDone}/{run.StepCount} ({(run.Progress * 100).ToString("0", CultureInfo.InvariantCulture)}%); marketplaces {string.Join(", ", run.Marketplaces)}"
            + (run.BatchId is { } batch ? $"; batch {batch}" : ""));
        var width = Math.Max(4, run.Steps.Count == 0 ? 0 : run.Steps.Max(s => s.Key.Length));
        await output.WriteLineAsync($"{"STEP".PadRight(width)}  {"STATUS",-16} {"PROVIDER",-12} {"UNITS",5}  {"DURATION",8}  ERROR");
        foreach (var step in run.Steps)
        {
            var last = step.Executions.Count > 0 ? step.Executions[^1] : null;
            var provider = last?.Provider ?? step.Provider ?? "-";
            // What was charged: a failed or cancelled launch's reservation is returned.
            var units = step.Executions.Where(e => e.Status == JobStatus.Succeeded).Sum(e => e.Units);
            var milliseconds = step.Executions.Sum(e => e.DurationMs ?? 0);
            var duration = step.Executions.Any(e => e.DurationMs is not null)
                ? (milliseconds / 1000d).ToString("0.0", CultureInfo.InvariantCulture) + " s"
                : "-";
            var error = step.Error is null ? "" : DescribeStep(host, step.Error, step.ErrorArgs);
            await output.WriteLineAsync($"{step.Key.PadRight(width)}  {Name(step.Status),-16} {provider,-12} {units,5}  {duration,8}  {error}".TrimEnd());
        }
    }

    private static async Task<int> ControlAsync(
        ParseResult parseResult,
        string runId,
        string? email,
        bool wait,
        Func<ControlWorkflowRun, Guid, CancellationToken, Task<Result<WorkflowRun>>> action,
        CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken, wait ? WorkerOverrides : null);
        if (!Guid.TryParse(runId, out var id))
        {
            await host.FailAsync(host.Describe(IdInvalid, [runId]));
            return 1;
        }

        Member member;
        WorkflowRun run;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            if (!await CatalogCommands.EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
            {
                return 1;
            }

            member = Member.Of(scope.ServiceProvider);
            var result = await action(scope.ServiceProvider.GetRequiredService<ControlWorkflowRun>(), id, cancellationToken);
            if (!result.IsSuccess)
            {
                await host.FailAsync(result.Errors.Select(host.Describe));
                return 1;
            }

            run = result.Value;
        }

        await host.Output.WriteLineAsync($"Run {run.Id}: {Name(run.Status)}; steps {run.StepsDone}/{run.StepCount}.");
        if (!wait)
        {
            return 0;
        }

        var view = await WaitAsync(host, member, run.BatchId ?? run.Id, async services =>
        {
            var current = (await services.GetRequiredService<GetWorkflowRun>().HandleAsync(id, cancellationToken)).Value;
            var finished = current.Status != WorkflowRunStatus.Running;
            var failed = current.Status is WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled ? 1 : 0;
            return (current, new Progress(finished ? 1 : 0, 1, current.StepsDone, current.StepCount, failed, finished));
        }, cancellationToken);
        if (view is null)
        {
            return ExitSomeFailed;
        }

        await PrintRunAsync(host, view);
        return view.Status == WorkflowRunStatus.Succeeded ? 0 : ExitSomeFailed;
    }

    private readonly record struct Progress(int RunsDone, int Runs, int StepsDone, int Steps, int Failed, bool Finished);

    /// <summary>The member a command acts as, to set on each new scope of a wait loop.</summary>
    private readonly record struct Member(Guid WorkspaceId, Guid? UserId, WorkspaceRole Role)
    {
        public static Member Of(IServiceProvider services)
        {
            var context = services.GetRequiredService<WorkspaceContext>();
            return new(context.RequiredWorkspaceId, context.UserId, context.Role);
        }
    }

    /// <summary>
    /// Starts the host's workers, then reads <paramref name="read"/> about once a second and draws the progress until it says
    /// finished: a redrawn bar on a terminal, a line per change when standard error is redirected. Null when interrupted.
    /// </summary>
    private static async Task<T?> WaitAsync<T>(
        CliHost host, Member member, Guid followId, Func<IServiceProvider, Task<(T Value, Progress Progress)>> read, CancellationToken cancellationToken)
        where T : class
    {
        var live = ReferenceEquals(host.Error, Console.Error) && !Console.IsErrorRedirected;
        var clock = Stopwatch.StartNew();
        string? last = null;
        await host.StartAsync(cancellationToken);
        try
        {
            while (true)
            {
                (T Value, Progress Progress) state;
                await using (var scope = host.Services.CreateAsyncScope())
                {
                    scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(member.WorkspaceId, member.UserId, member.Role);
                    state = await read(scope.ServiceProvider);
                }

                var line = Bar(state.Progress, clock.Elapsed);
                if (live)
                {
                    await host.Error.WriteAsync("\r" + line.PadRight(Math.Max(line.Length, last?.Length ?? 0)));
                }
                else if (StripTime(line) != StripTime(last))
                {
                    await host.Error.WriteLineAsync(line);
                }

                last = line;
                if (state.Progress.Finished)
                {
                    if (live)
                    {
                        await host.Error.WriteLineAsync();
                    }

                    return state.Value;
                }

                await Task.Delay(Refresh, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync();
            await host.FailAsync(host.Describe(WaitStopped, [followId.ToString()]));
            return null;
        }
        finally
        {
            // Jobs still running are left to the recovery sweep of the next worker, which re-queues them.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string Bar(Progress progress, TimeSpan elapsed)
    {
        const int Width = 24;
        var fraction = progress.Steps == 0 ? 1 : (double)progress.StepsDone / progress.Steps;
        var filled = (int)Math.Round(fraction * Width, MidpointRounding.ToZero);
        var text = new StringBuilder()
            .Append('[').Append('#', filled).Append('-', Width - filled).Append("] ")
            .Append(CultureInfo.InvariantCulture, $"runs {progress.RunsDone}/{progress.Runs}, steps {progress.StepsDone}/{progress.Steps}");
        if (progress.Failed > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {progress.Failed} not succeeded");
        }

        return text.Append(CultureInfo.InvariantCulture, $" ({elapsed.TotalSeconds:0}s)").ToString();
    }

    private static string? StripTime(string? line) => line is null ? null : line[..line.LastIndexOf(" (", StringComparison.Ordinal)];

    /// <summary>A step's reason in English with its code; a failed job's own reason stands for it (never an exception text).</summary>
    private static string DescribeStep(CliHost host, string? code, IReadOnlyList<string> args)
    {
        var (visible, visibleArgs) = WorkflowsApiMapping.Visible(code, args);
        if (visible is null)
        {
            return "";
        }

        return visible == WorkflowErrors.JobFailed ? host.Describe(visibleArgs[0], []) : host.Describe(visible, visibleArgs);
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string Product(string title, Guid productId) => title.Length == 0 ? productId.ToString() : $"{title} ({productId})";

    private static List<string> Split(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<string> Strings(string json) => System.Text.Json.JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
