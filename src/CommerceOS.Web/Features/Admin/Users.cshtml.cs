using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Admin;

[Authorize(Policy = AccountsWebExtensions.AdminPolicy)]
public sealed class AdminUsersModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<AppUser> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await db.Users.AsNoTracking().OrderByDescending(u => u.CreatedAt).Take(500).ToListAsync(cancellationToken);
}
