using System.Text.RegularExpressions;
using CommerceOS.Core.Common;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/workflows/templates/{id}</c> (a workspace template, or <c>new</c>): name, description, marketplaces and steps
/// (add, remove, reorder, skill, dependencies, parameters from the skill's schema, provider, optional, approval gate),
/// saved through <see cref="SaveWorkflowTemplate"/> with each error next to its step or field. Every edit is a plain form
/// post that re-renders the form: it works without script. Viewers see it read-only.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed partial class WorkflowEditModel(
    WorkspaceContext workspace,
    WorkflowTemplateStore templates,
    SaveWorkflowTemplate save,
    IMarketplaceCatalog marketplaces,
    IStringLocalizer localizer) : PageModel
{
    public const string NewId = "new";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = NewId;

    [BindProperty]
    public TemplateForm Form { get; set; } = new();

    /// <summary>What the pressed button asks: save, add, gate, refresh, remove:i, up:i, down:i.</summary>
    [BindProperty]
    public string? Op { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Saved { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Copied { get; set; }

    public string? BasedOn { get; private set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public IReadOnlyList<MarketplaceProfile> AllMarketplaces => marketplaces.All;

    /// <summary>Localized errors by field: <c>name</c>, <c>description</c>, <c>marketplaces</c>, <c>steps</c> or <c>steps[i]</c>.</summary>
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public bool IsNew => Id == NewId;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (IsNew)
        {
            Form = new TemplateForm { Marketplaces = ["amazon"] };
            return Page();
        }

        var template = await FindAsync(cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        BasedOn = template.BasedOn;
        Form = TemplateForm.From(template.Name, template.Description, template.Definition);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsNew && await FindAsync(cancellationToken) is null)
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            Add("", CommonErrors.Forbidden, []);
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        Form.Refresh();
        var op = Op ?? "save";
        var match = OpIndex().Match(op);
        var index = match.Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        switch (match.Success ? match.Groups[1].Value : op)
        {
            case "add":
                Form.Add(Form.NewSkill);
                return Page();
            case "gate":
                Form.AddGate();
                return Page();
            case "refresh":
                return Page();
            case "remove":
                Form.Remove(index);
                return Page();
            case "up":
                Form.Move(index, -1);
                return Page();
            case "down":
                Form.Move(index, 1);
                return Page();
        }

        var (definition, formErrors) = Form.ToDefinition();
        if (formErrors.Count > 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, formErrors);
        }

        var result = await save.HandleAsync(
            new SaveWorkflowTemplate.Request(IsNew ? null : Guid.Parse(Id), Form.Name, Form.Description, null, definition),
            cancellationToken);
        return result.Status switch
        {
            ResultStatus.Success => Redirect($"/app/workflows/templates/{result.Value.Id}?saved=true"),
            ResultStatus.NotFound => NotFound(),
            ResultStatus.Forbidden => Refuse(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)]),
            ResultStatus.Conflict => Refuse(StatusCodes.Status409Conflict, result.Errors),
            _ => Refuse(StatusCodes.Status400BadRequest, result.Errors),
        };
    }

    public IReadOnlyList<string> ErrorsFor(string field) => Errors.TryGetValue(field, out var list) ? list : [];

    public IEnumerable<string> OtherErrors => Errors.Where(e => e.Key is "" or "basedOn").SelectMany(e => e.Value);

    private PageResult Refuse(int status, IReadOnlyList<FieldError> errors)
    {
        foreach (var error in errors)
        {
            Add(error.Field, error.Code, error.Args);
        }

        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Files an error under its step (<c>steps[2].params</c> → <c>steps[2]</c>) or its top-level field.</summary>
    private void Add(string field, string code, IReadOnlyList<string> args)
    {
        var key = StepField().Match(field) is { Success: true } step ? step.Value
            : field.StartsWith("marketplaces", StringComparison.Ordinal) ? "marketplaces"
            : field;
        if (!Errors.TryGetValue(key, out var list))
        {
            Errors[key] = list = [];
        }

        list.Add(localizer[code, [.. args]]);
    }

    private async Task<WorkflowTemplateView?> FindAsync(CancellationToken cancellationToken) =>
        Guid.TryParse(Id, out _) && await templates.FindAsync(Id, WorkflowsUi.Culture, cancellationToken) is { BuiltIn: false } own ? own : null;

    [GeneratedRegex(@"^(remove|up|down):(\d{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex OpIndex();

    [GeneratedRegex(@"^steps\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex StepField();
}
