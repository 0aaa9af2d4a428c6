using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Jobs;

/// <summary>The process role given to <c>AddJobs</c>.</summary>
public sealed record JobsRole(string Name);

/// <summary>A feature area's recurring Hangfire job (keep-in-sync, purges), registered with the jobs' own in server roles.</summary>
public interface IRecurringSweep
{
    void Register(IRecurringJobManager recurring);
}

/// <summary>
/// Start-up and in-process duties: in server roles it registers the recurring sweeps and runs the
/// recovery sweep once at start-up; in every role it dispatches the outbox as soon as
/// <see cref="IJobDispatchSignal"/> fires (the recurring outbox sweep is the safety net).
/// </summary>
public sealed partial class JobsHostedService(
    IServiceScopeFactory scopes,
    IJobDispatchSignal signal,
    IRecurringJobManager recurring,
    IEnumerable<IRecurringSweep> areaSweeps,
    IOptions<JobsOptions> options,
    JobsRole role,
    ILogger<JobsHostedService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (JobsRoles.RunsServer(role.Name))
        {
            JobSweeps.Register(recurring, options.Value);
            foreach (var sweep in areaSweeps)
            {
                sweep.Register(recurring);
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (JobsRoles.RunsServer(role.Name))
        {
            await RunSafelyAsync((sweeps, ct) => sweeps.RecoverJobsAsync(ct), stoppingToken);
        }

        var dispatchSignal = (JobDispatchSignal)signal;
        dispatchSignal.Notify();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatchSignal.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunSafelyAsync((sweeps, ct) => sweeps.DispatchOutboxAsync(ct), stoppingToken);
        }
    }

    private async Task RunSafelyAsync(Func<JobSweeps, CancellationToken, Task<int>> work, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await work(scope.ServiceProvider.GetRequiredService<JobSweeps>(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The recurring sweeps retry on their next tick; a database outage must not stop the host.
            LogSweepFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job dispatch or recovery failed; the recurring sweep will retry")]
    private partial void LogSweepFailed(Exception exception);
}
