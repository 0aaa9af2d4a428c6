using CommerceOS.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Workflows;

/// <summary>
/// Runs <see cref="WorkflowEngine.PumpAsync"/> in every process that executes jobs: at once when a job of this process
/// ends or a run starts here, and every <see cref="WorkflowOptions.PumpInterval"/> for work other processes left.
/// </summary>
public sealed partial class WorkflowPumpService(
    IServiceScopeFactory scopes,
    WorkflowSignal signal,
    IOptions<WorkflowOptions> options,
    ILogger<WorkflowPumpService> logger) : BackgroundService
{
    /// <summary>Rounds in a row while there is work, before waiting again (a large batch yields to the timer now and then).</summary>
    private const int MaxBusyRounds = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                for (var round = 0; round < MaxBusyRounds; round++)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().PumpAsync(stoppingToken) == 0)
                    {
                        break;
                    }
                }

                await signal.WaitAsync(options.Value.PumpInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A database blip must not stop the engine; the rows are the state, the next round picks up.
                LogPumpFailed(exception);
                await Task.Delay(options.Value.PumpInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The workflow engine's round failed; it retries on the next")]
    private partial void LogPumpFailed(Exception exception);
}

/// <summary>Wakes the engine when this process's runner finishes a job.</summary>
internal sealed class WorkflowJobListener(WorkflowSignal signal) : IJobFinishedListener
{
    public void JobFinished(Guid jobId) => signal.Notify();
}
