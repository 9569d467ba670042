"""The Tasks extension of MCP (``io.modelcontextprotocol/tasks``, SEP-2663), run by
Django's task framework.

Add ``"drf_mcp_bridge.contrib.tasks"`` to ``INSTALLED_APPS`` (and, below Django 6.0,
``"django_tasks"``; with the database backend also ``"django_tasks_db"``), run
``migrate``, and declare tools task-capable (``@mcp_tool(task="optional")``,
``@mcp_action(task="required")``, ``MCPToolConfig(tasks={...})``,
``@mcp_view(tasks={...})``). A 2026-07-28 client that declares the extension on a
``tools/call`` then gets a task back, polls it with ``tasks/get``, answers its questions
with ``tasks/update`` and cancels it with ``tasks/cancel``; the call itself runs in a task
worker of whatever backend ``settings.TASKS`` configures (docs/transport.md, "Tasks").

The task's state lives in this app's table (:class:`~.models.MCPTask`): the backend only
runs ``jobs.run_mcp_task(task_id, attempt)``, so any backend works, and every web worker
answers for every task.
"""
