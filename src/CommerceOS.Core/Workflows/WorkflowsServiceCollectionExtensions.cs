using CommerceOS.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Workflows;

public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// The workflow engine (its pump runs where jobs run: roles <c>all</c> and <c>worker</c>), the skill launchers, the
    /// step jobs and the use cases. Needs <c>AddJobs</c> and the areas whose use cases the skills call.
    /// </summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration, string role = JobsRoles.All)
    {
        services.AddOptions<WorkflowOptions>()
            .Bind(configuration.GetSection(WorkflowOptions.Section))
            .Validate(o => o.MaxActiveStepsPerWorkspace > 0, "Workflows:MaxActiveStepsPerWorkspace must be positive.")
            .Validate(o => o.MaxLaunchesPerPump > 0, "Workflows:MaxLaunchesPerPump must be positive.")
            .Validate(o => o.PumpInterval > TimeSpan.Zero, "Workflows:PumpInterval must be positive.")
            .Validate(o => o.ProviderLimits.Values.All(v => v > 0), "Workflows:ProviderLimits values must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<WorkflowSignal>();
        services.TryAddSingleton<ProviderNames>();
        services.AddSingleton<IJobFinishedListener, WorkflowJobListener>();
        services.AddScoped<WorkflowEngine>();
        services.AddScoped<WorkflowTemplateStore>();
        services.AddScoped<SaveWorkflowTemplate>();
        services.AddScoped<DeleteWorkflowTemplate>();
        services.AddScoped<StartWorkflowRuns>();
        services.AddScoped<ControlWorkflowRun>();
        services.AddScoped<GetWorkflowRun>();
        services.AddScoped<ListWorkflowRuns>();
        services.AddScoped<GetWorkflowBatch>();

        services.AddKeyedScoped<ISkillLauncher, ImageSkillLauncher>(SkillOperations.Images);
        services.AddKeyedScoped<ISkillLauncher, VideoSkillLauncher>(SkillOperations.Video);
        services.AddKeyedScoped<ISkillLauncher, CopySkillLauncher>(SkillOperations.Copy);
        services.AddKeyedScoped<ISkillLauncher, TranslateSkillLauncher>(SkillOperations.Translate);
        services.AddKeyedScoped<ISkillLauncher, ApprovalSkillLauncher>(SkillOperations.Approval);
        AddStepJob<SeoStepJob>(services, SkillOperations.Seo, WorkflowStepJobKinds.Seo);
        AddStepJob<ComplianceStepJob>(services, SkillOperations.Compliance, WorkflowStepJobKinds.Compliance);
        AddStepJob<ExportStepJob>(services, SkillOperations.Export, WorkflowStepJobKinds.Export);
        services.AddScoped<WorkflowKits>();

        if (JobsRoles.RunsServer(role))
        {
            services.AddHostedService<WorkflowPumpService>();
        }

        return services;
    }

    private static void AddStepJob<THandler>(IServiceCollection services, string operation, string kind)
        where THandler : class, IJobHandler
    {
        services.AddJobHandler<THandler>(kind);
        services.AddKeyedScoped<ISkillLauncher>(operation, (sp, _) => new StepJobLauncher(
            operation, kind, sp.GetRequiredService<Data.AppDbContext>(), sp.GetRequiredService<IJobScheduler>()));
    }
}
