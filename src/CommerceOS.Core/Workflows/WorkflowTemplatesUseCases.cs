using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

/// <summary>Built-in templates and the workspace's own, found by ID (a built-in's slug or a GUID). Members and above.</summary>
public sealed class WorkflowTemplateStore(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<IReadOnlyList<WorkflowTemplateView>> ListAsync(string? culture, CancellationToken cancellationToken)
    {
        var views = BuiltInTemplates.All.Select(t => BuiltIn(t, culture)).ToList();
        if (workspace.IsSet)
        {
            var own = await db.WorkflowTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
            views.AddRange(own.Select(Own));
        }

        return views;
    }

    public async Task<WorkflowTemplateView?> FindAsync(string? id, string? culture, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(id) is { } builtIn)
        {
            return BuiltIn(builtIn, culture);
        }

        if (!workspace.IsSet || !Guid.TryParse(id, out var templateId))
        {
            return null;
        }

        var own = await db.WorkflowTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken);
        return own is null ? null : Own(own);
    }

    public static WorkflowTemplateView BuiltIn(BuiltInTemplate template, string? culture)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(template.Id, true, template.Name.For(culture), template.Description.For(culture), null, template.Definition, null);
    }

    private static WorkflowTemplateView Own(WorkflowTemplate template) =>
        new(template.Id.ToString(), false, template.Name, template.Description, template.BasedOn, WorkflowDefinition.FromJson(template.DefinitionJson), template.UpdatedAt);
}

/// <summary>
/// Creates or replaces a workspace template (a copy of a built-in one, edited, or built from scratch): name, description,
/// marketplaces and steps (order, dependencies, parameters, provider, optional, approval gates). Editors and above.
/// </summary>
public sealed class SaveWorkflowTemplate(AppDbContext db, WorkspaceContext workspace, IMarketplaceCatalog marketplaces, TimeProvider time)
{
    /// <param name="Id">Null creates a template; a GUID replaces that template.</param>
    public sealed record Request(Guid? Id, string? Name, string? Description, string? BasedOn, WorkflowDefinition? Definition);

    public async Task<Result<WorkflowTemplateView>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        WorkflowTemplate? existing = null;
        if (request.Id is { } id)
        {
            existing = await db.WorkflowTemplates.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (existing is null)
            {
                return Result.NotFound();
            }
        }

        var errors = new List<FieldError>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new FieldError("name", WorkflowErrors.NameRequired));
        }
        else if (name.Length > WorkflowLimits.MaxNameLength)
        {
            errors.Add(FieldError.Of("name", WorkflowErrors.NameTooLong, WorkflowLimits.MaxNameLength));
        }

        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description is { Length: > WorkflowLimits.MaxDescriptionLength })
        {
            errors.Add(FieldError.Of("description", WorkflowErrors.DescriptionTooLong, WorkflowLimits.MaxDescriptionLength));
        }

        if (request.BasedOn is not null && BuiltInTemplates.Find(request.BasedOn) is null)
        {
            errors.Add(new FieldError("basedOn", WorkflowErrors.TemplateUnknown));
        }

        if (request.Definition is null)
        {
            errors.Add(new FieldError("steps", WorkflowErrors.StepsRequired));
        }
        else
        {
            errors.AddRange(WorkflowPlanner.Validate(request.Definition, SkillCatalog.Default, marketplaces));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        if (await db.WorkflowTemplates.AnyAsync(t => t.Name == name && t.Id != (existing == null ? Guid.Empty : existing.Id), cancellationToken))
        {
            return Result.Conflict("name", WorkflowErrors.NameTaken);
        }

        if (existing is null && await db.WorkflowTemplates.CountAsync(cancellationToken) >= WorkflowLimits.MaxTemplatesPerWorkspace)
        {
            return Result.Conflict("", WorkflowErrors.TooManyTemplates, WorkflowLimits.MaxTemplatesPerWorkspace);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var definition = request.Definition! with
        {
            Marketplaces = [.. request.Definition!.Marketplaces.Select(m => marketplaces.Find(m)!.Id).Distinct(StringComparer.Ordinal)],
        };
        if (existing is null)
        {
            existing = new WorkflowTemplate
            {
                WorkspaceId = workspace.RequiredWorkspaceId,
                Name = name,
                DefinitionJson = definition.ToJson(),
                CreatedByUserId = workspace.UserId,
                CreatedAt = now,
            };
            db.WorkflowTemplates.Add(existing);
        }

        existing.Name = name;
        existing.Description = description;
        existing.BasedOn = request.BasedOn ?? existing.BasedOn;
        existing.DefinitionJson = definition.ToJson();
        existing.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new WorkflowTemplateView(existing.Id.ToString(), false, existing.Name, existing.Description, existing.BasedOn, definition, existing.UpdatedAt);
    }
}

/// <summary>Deletes a workspace template; runs keep their snapshot of its steps. Editors and above.</summary>
public sealed class DeleteWorkflowTemplate(AppDbContext db, WorkspaceContext workspace)
{
    public async Task<Result> HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var rows = await db.WorkflowTemplates.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        return rows == 0 ? Result.NotFound() : Result.Ok();
    }
}

/// <summary>JSON for definitions coming from forms and the API.</summary>
public static class WorkflowDefinitionJson
{
    /// <summary>Parses a definition; null when the text is not a definition at all.</summary>
    public static WorkflowDefinition? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            var definition = WorkflowDefinition.FromJson(json);
            return definition.Steps is null || definition.Marketplaces is null ? null : definition;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
