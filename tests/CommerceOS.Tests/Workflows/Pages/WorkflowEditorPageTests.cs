using System.Net;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Workflows.Pages.WorkflowPageHelpers;

namespace CommerceOS.Tests.Workflows.Pages;

/// <summary>The template editor (<c>/app/workflows/templates/{id}</c>): copy, edit without script, save, and each error next to its step.</summary>
public sealed class WorkflowEditorPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Step(string Key, string Skill, string[]? DependsOn = null, (string Name, string[] Values)[]? Params = null, string? ExtraJson = null);

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CopiedTemplate_IsEditedAndSaved_AndEachRefusalIsShownNextToItsStep(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        using var copied = await session.PostFormAsync("/app/workflows?handler=copy&template=quick-shoot", [], "/app/workflows");
        Assert.Equal(HttpStatusCode.Redirect, copied.StatusCode);
        var editorUrl = copied.Headers.Location!.OriginalString;
        Assert.Matches("^/app/workflows/templates/[0-9a-f-]{36}\\?copied=true$", editorUrl);
        var path = editorUrl.Split('?')[0];
        var editor = await session.Client.GetStringAsync(editorUrl, Ct);
        Assert.Contains("id=\"editor-copied\"", editor, StringComparison.Ordinal);
        Assert.Contains("value=\"Quick product shoot (copy)\"", editor, StringComparison.Ordinal);
        Assert.Contains("data-step-key=\"white\"", editor, StringComparison.Ordinal);
        Assert.Contains("data-step-key=\"size-chart\"", editor, StringComparison.Ordinal);
        // The size chart's parameters are generated from its schema: an integer with its bounds, an enum as a select.
        Assert.Matches("<input type=\"number\" name=\"Form.Steps\\[2\\].Params\\[1\\].Values\" min=\"256\" max=\"4096\" step=\"1\"", editor);
        Assert.Contains("<option value=\"zh-CN\">zh-CN</option>", editor, StringComparison.Ordinal);
        // The workflows page lists it as the workspace's own.
        var list = await session.Client.GetStringAsync("/app/workflows", Ct);
        Assert.Contains($"data-template-id=\"{path.Split('/')[^1]}\" data-built-in=\"false\"", list, StringComparison.Ordinal);

        Step[] valid =
        [
            new("white", "image-white-background"),
            new("scene", "image-lifestyle", ["white"], [("sceneId", ["beach-sand"]), ("prompt", [""])]),
            new("chart", "image-size-chart", null, [("language", ["zh-CN"]), ("width", ["800"]), ("height", [""])]),
        ];

        // "Add approval gate" re-renders the form with a gate that waits for every step.
        using (var gate = await PostAsync(session, path, Fields("Mine", ["amazon", "shopify"], "gate", valid), path))
        {
            Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
            var html = await gate.Content.ReadAsStringAsync(Ct);
            Assert.Contains("data-step-index=\"3\" data-step-key=\"approval\"", html, StringComparison.Ordinal);
            Assert.Contains("<option value=\"approval-gate\" selected=\"selected\">", html, StringComparison.Ordinal);
        }

        // Moving a step re-renders in the new order; nothing is stored.
        using (var moved = await PostAsync(session, path, Fields("Mine", ["amazon"], "down:0", valid), path))
        {
            var html = await moved.Content.ReadAsStringAsync(Ct);
            Assert.True(html.IndexOf("data-step-key=\"scene\"", StringComparison.Ordinal) < html.IndexOf("data-step-key=\"white\"", StringComparison.Ordinal));
        }

        Step[] withGate = [.. valid, new("approval", "approval-gate", ["white", "scene", "chart"])];
        using (var saved = await PostAsync(session, path, Fields("Mine", ["amazon", "shopify"], "save", withGate), path))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.EndsWith("?saved=true", saved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var stored = await app.InWorkspaceAsync(session, s => s.GetRequiredService<WorkflowTemplateStore>().FindAsync(path.Split('/')[^1], "en", Ct));
        Assert.NotNull(stored);
        Assert.Equal("Mine", stored.Name);
        Assert.Equal(["amazon", "shopify"], stored.Definition.Marketplaces);
        Assert.Equal(["white", "scene", "chart", "approval"], stored.Definition.Steps.Select(s => s.Key));
        Assert.Equal("beach-sand", stored.Definition.Steps[1].Params!["sceneId"]!.GetValue<string>());
        Assert.False(stored.Definition.Steps[1].Params!.ContainsKey("prompt"));
        Assert.Equal(800, stored.Definition.Steps[2].Params!["width"]!.GetValue<long>());
        Assert.Equal(["white", "scene", "chart"], stored.Definition.Steps[3].Dependencies);

        // A cycle, an unknown skill, a parameter out of range and broken JSON: 400, the form kept, the reason in English.
        (Step[] Steps, string Where, string Text)[] refusals =
        [
            ([new("white", "image-white-background", ["scene"]), new("scene", "image-lifestyle", ["white"])], "data-error-for=\"steps\"", "The steps wait for each other in a circle; remove one of the dependencies."),
            ([new("white", "no-such-skill")], "data-error-for=\"steps[0]\"", "There is no such skill."),
            ([new("white", "image-white-background"), new("chart", "image-size-chart", null, [("width", ["99999"])])], "data-error-for=\"steps[1]\"", "A parameter of this step is not valid for its skill (at /width)."),
            ([new("white", "image-white-background", null, null, "[1")], "data-error-for=\"steps[0]\"", "The other parameters must be a JSON object"),
        ];
        foreach (var (steps, where, text) in refusals)
        {
            using var refused = await PostAsync(session, path, Fields("Mine", ["amazon"], "save", steps), path);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Contains("id=\"editor-errors\"", html, StringComparison.Ordinal);
            Assert.Contains($"<p class=\"field-error\" {where}>{text}", html, StringComparison.Ordinal);
        }

        var unchanged = await app.InWorkspaceAsync(session, s => s.GetRequiredService<WorkflowTemplateStore>().FindAsync(path.Split('/')[^1], "en", Ct));
        Assert.Equal(4, unchanged!.Definition.Steps.Count);

        // Another template may not take its name: 409 with the reason next to the name.
        using (var taken = await PostAsync(session, "/app/workflows/templates/new", Fields("Mine", ["amazon"], "save", valid), "/app/workflows/templates/new"))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
            Assert.Contains("data-error-for=\"name\">Another template of this workspace has this name.", await taken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Deleted from the list page.
        using (var deleted = await session.PostFormAsync($"/app/workflows?handler=delete&id={path.Split('/')[^1]}", [], "/app/workflows"))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        using var gone = await session.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task EditorErrors_AreInChinese_ForAChineseSession()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        using var refused = await PostAsync(
            session,
            "/app/workflows/templates/new",
            Fields("环", ["taobao"], "save", [new("a", "image-main", ["b"]), new("b", "image-main", ["a"]), new("c", "image-size-chart", null, [("height", ["1"])])]),
            "/app/workflows/templates/new");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Contains("此步骤的参数不符合其技能要求（位置 /height）。", html, StringComparison.Ordinal);
        Assert.Contains("模板未保存", html, StringComparison.Ordinal);
    }

    private static List<KeyValuePair<string, string>> Fields(string name, string[] marketplaces, string op, Step[] steps)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Form.Name", name), new("Op", op) };
        fields.AddRange(marketplaces.Select(m => new KeyValuePair<string, string>("Form.Marketplaces", m)));
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            var prefix = $"Form.Steps[{i}]";
            fields.Add(new($"{prefix}.Key", step.Key));
            fields.Add(new($"{prefix}.Skill", step.Skill));
            fields.AddRange((step.DependsOn ?? []).Select(d => new KeyValuePair<string, string>($"{prefix}.DependsOn", d)));
            if (step.ExtraJson is not null)
            {
                fields.Add(new($"{prefix}.ExtraJson", step.ExtraJson));
            }

            var parameters = step.Params ?? [];
            for (var p = 0; p < parameters.Length; p++)
            {
                fields.Add(new($"{prefix}.Params[{p}].Name", parameters[p].Name));
                fields.AddRange(parameters[p].Values.Select(v => new KeyValuePair<string, string>($"{prefix}.Params[{p}].Values", v)));
            }
        }

        return fields;
    }
}
