/* res.c - resource name registry (see res.h). */
#include "model/res.h"

#include "core/err.h"

#include <stdio.h>
#include <string.h>

void cs_resnames_init(struct cs_resnames *rn)
{
    memset(rn, 0, sizeof(*rn));
    snprintf(rn->name[CS_RES_CPU], CS_RES_NAME_MAX, "cpu");
    snprintf(rn->name[CS_RES_MEMORY], CS_RES_NAME_MAX, "memory");
    rn->n = 2;
}

int cs_resnames_find(const struct cs_resnames *rn, const char *name)
{
    for (int i = 0; i < rn->n; i++)
        if (strcmp(rn->name[i], name) == 0)
            return i;
    return -1;
}

int cs_resnames_intern(struct cs_resnames *rn, const char *name)
{
    int i = cs_resnames_find(rn, name);

    if (i >= 0)
        return i;
    if (rn->n >= CS_RES_MAX || strlen(name) >= CS_RES_NAME_MAX)
        return CS_ELIMIT;
    snprintf(rn->name[rn->n], CS_RES_NAME_MAX, "%s", name);
    return rn->n++;
}
