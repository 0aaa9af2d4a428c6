using System.Net;
using System.Text.Json;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Workflows.Pages;

/// <summary>Templates, runs and roles for the workflow page tests, through the real use cases.</summary>
internal static class WorkflowPageHelpers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A workspace template that stops at a gate first, then writes the SEO report: quick, local and metered by nothing.</summary>
    public static Task<string> GateTemplateAsync(AppFactory app, BrowserSession session, string name = "Gate then SEO") =>
        app.InWorkspaceAsync(session, async services =>
        {
            var saved = await services.GetRequiredService<SaveWorkflowTemplate>().HandleAsync(
                new SaveWorkflowTemplate.Request(null, name, null, null, new WorkflowDefinition(
                    ["amazon"],
                    [new WorkflowStepDefinition("gate", "approval-gate"), new WorkflowStepDefinition("seo", "seo-keywords", ["gate"])])),
                Ct);
            Assert.True(saved.IsSuccess, string.Join(", ", saved.Errors));
            return saved.Value.Id;
        });

    public static async Task<RunView> WaitRunAsync(AppFactory app, BrowserSession session, Guid runId, Func<RunView, bool> until)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var run = await app.InWorkspaceAsync(session, async s => (await s.GetRequiredService<GetWorkflowRun>().HandleAsync(runId, Ct)).Value);
            if (until(run))
            {
                return run;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"run {runId} is {run.Status}: {string.Join(", ", run.Steps.Select(s => $"{s.Key}={s.Status}"))}");
            await Task.Delay(100, Ct);
        }
    }

    public static async Task SetRoleAsync(AppFactory app, BrowserSession session, WorkspaceRole role)
    {
        await using var db = app.Database.CreateContext();
        var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == session.UserId && m.WorkspaceId == session.WorkspaceId, Ct);
        membership.Role = role;
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>Posts the start page for one or more products and returns where it sent the browser.</summary>
    public static async Task<string> StartAsync(BrowserSession session, string template, params Guid[] products)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Mode", "selected"), new("Marketplaces", "amazon") };
        fields.AddRange(products.Select(p => new KeyValuePair<string, string>("ProductIds", p.ToString())));
        using var response = await PostAsync(session, $"/app/workflows/start?template={template}", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Ct));
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>A form post with repeated fields (multi-selects), the antiforgery token taken from <paramref name="formPage"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(BrowserSession session, string path, IEnumerable<KeyValuePair<string, string>> fields, string? formPage = null)
    {
        var all = fields.ToList();
        all.Add(new("__RequestVerificationToken", await session.AntiforgeryTokenAsync(formPage ?? "/app/workflows")));
        using var content = new FormUrlEncodedContent(all);
        return await session.Client.PostAsync(path, content, Ct);
    }

    public static async Task<JsonElement> JsonAsync(BrowserSession session, string path)
    {
        using var response = await session.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    public static Guid IdFrom(string location) => Guid.Parse(location.Split('/', '?')[4]);
}
