;;; prooflens.el --- Proofs and counterexamples for C functions, through eglot  -*- lexical-binding: t -*-

;; Author: prooflens authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: c, languages, tools
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; prooflens is a language server that proves or refutes properties of C functions
;; (signed overflow, division by zero, asserts, contracts, termination) while you type.
;; This package connects it to Emacs through eglot:
;;
;;   (require 'prooflens)            ; registers the server for `c-mode' and `c-ts-mode'
;;   (add-hook 'c-mode-hook #'eglot-ensure)
;;
;; Refuted checks are flymake errors/warnings; the counterexample is in the hover
;; (eldoc) and in `prooflens-show-counterexample'.  Eglot has no code lenses, so the
;; server publishes each function's status (✔ proved / ✘ refuted / ? unknown) as a Hint
;; diagnostic on the function's name: eglot turns it into a flymake note, and this package
;; also shows it as a line above the function (like VS Code's code lens) and sums it up in
;; the mode line.
;;
;; Commands: `prooflens-verify-file', `prooflens-verify-function',
;; `prooflens-show-counterexample', `prooflens-generate-test', `prooflens-status'.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'flymake)
(require 'subr-x)

(defgroup prooflens nil
  "Proofs and counterexamples for C functions (prooflens language server)."
  :group 'tools
  :prefix "prooflens-")

(defcustom prooflens-server-command '("prooflens" "serve")
  "The command that starts the prooflens language server, as a list of strings.
For a prooflens installed in a virtual environment, give its full path, e.g.
\\='(\"/path/to/.venv/bin/prooflens\" \"serve\")."
  :type '(repeat string))

(defcustom prooflens-settings nil
  "Settings for the prooflens server, as a plist.
Sent as initializationOptions and as the \"prooflens\" section of
workspace/configuration (unless `eglot-workspace-configuration' has a
:prooflens section, which then wins).  Keys, all optional:
:timeout (seconds per check), :dataModel (\"LP64\" or \"ILP32\"),
:includeDirs and :defines (vectors of strings), :compileCommands and
:cachePath (paths), :workers and :inlineDepth (integers), :checksEnabled
\(vector of check kinds), :unknownAsInformation and :inlayHints (t or
:json-false).  Example: \\='(:timeout 10 :dataModel \"ILP32\")."
  :type 'plist)

(defcustom prooflens-major-modes '(c-mode c-ts-mode)
  "Major modes whose buffers prooflens verifies."
  :type '(repeat symbol))

(defcustom prooflens-show-lenses t
  "Non-nil: show each function's status on a line above it, like a code lens."
  :type 'boolean)

(defcustom prooflens-mode-line t
  "Non-nil: show the buffer's summary in the mode line.
It reads like \"✔ 2 · ✘ 1 · ? 1\": proved, refuted, unknown functions."
  :type 'boolean)

(defface prooflens-lens-face
  '((t (:inherit shadow :height 0.9)))
  "Face of the status line shown above each function.")

(defface prooflens-refuted-face
  '((t (:inherit (error shadow) :height 0.9)))
  "Face of the status line of a refuted function.")

;;;; The server class and its registration

(defclass prooflens-eglot-server (eglot-lsp-server) ()
  "The prooflens language server, as eglot sees it.")

(defun prooflens--contact (&optional _interactive)
  "The eglot contact: our class and `prooflens-server-command'.
The command is read when eglot connects, so it can be set at any time."
  (let ((program (car prooflens-server-command)))
    (unless (and program (or (file-executable-p program) (executable-find program)))
      (display-warning
       'prooflens
       (format "the server command %S was not found: install prooflens (pip install prooflens) or set `prooflens-server-command' to (\"/path/to/.venv/bin/prooflens\" \"serve\")"
               program)
       :error))
    (cons 'prooflens-eglot-server prooflens-server-command)))

(defun prooflens--register ()
  "Put prooflens first in `eglot-server-programs' for `prooflens-major-modes'."
  (setq eglot-server-programs
        (cl-remove-if (lambda (entry) (eq (cdr entry) #'prooflens--contact)) eglot-server-programs))
  (push (cons (mapcar (lambda (m) (list m :language-id "c")) prooflens-major-modes) #'prooflens--contact)
        eglot-server-programs))

(prooflens--register)

(cl-defmethod eglot-initialization-options ((_server prooflens-eglot-server))
  (or prooflens-settings eglot--{}))

(defun prooflens--settings-for (server)
  "The \"prooflens\" section of the configuration for SERVER.
A :prooflens section of `eglot-workspace-configuration' wins over
`prooflens-settings'."
  (let ((conf (ignore-errors (eglot--workspace-configuration-plist server))))
    (or (plist-get conf :prooflens) prooflens-settings eglot--{})))

(cl-defmethod eglot-handle-request
  ((server prooflens-eglot-server) (_method (eql workspace/configuration)) &key items)
  "Answer the server's workspace/configuration request."
  (apply #'vector
         (mapcar (lambda (item)
                   (if (equal (plist-get item :section) "prooflens")
                       (let ((default-directory (project-root (eglot--project server))))
                         (with-temp-buffer
                           (setq-local major-mode (car (eglot--major-modes server)))
                           (hack-dir-local-variables-non-file-buffer)
                           (prooflens--settings-for server)))
                     nil))
                 items)))

(cl-defmethod eglot-handle-request
  ((_server prooflens-eglot-server) (_method (eql workspace/codeLens/refresh)) &rest _)
  "Eglot has no lenses: the statuses come as diagnostics."
  nil)

;;;; Per-function status: lenses drawn from the Hint diagnostics

(defvar-local prooflens--overlays nil)
(defvar-local prooflens--summary nil
  "Plist (:proved N :refuted N :unknown N :pending N) of the buffer's functions.")

(defun prooflens--status-of (text)
  "The status a status text tells: proved, refuted, unknown, pending or nil."
  (cond ((string-match-p "\\`\\(…\\|\\.\\.\\.\\)\\|verifying\\|stale" text) 'pending)
        ((string-match-p "\\`✘\\|refuted" text) 'refuted)
        ((string-match-p "\\`\\?\\|\\`⚠\\|unknown" text) 'unknown)
        ((string-match-p "\\`✔\\|proved" text) 'proved)))

(defun prooflens--status-diagnostics (diagnostics)
  "The LSP DIAGNOSTICS (a vector) that carry a function's status."
  (cl-remove-if-not
   (lambda (d)
     (and (eql (plist-get d :severity) 4)
          (member (plist-get d :source) '("prooflens" nil))
          (prooflens--status-of (plist-get d :message))))
   (append diagnostics nil)))

(defun prooflens--clear-overlays ()
  (mapc #'delete-overlay prooflens--overlays)
  (setq prooflens--overlays nil))

(defun prooflens--show-statuses (diagnostics)
  "Draw the status of each function from DIAGNOSTICS in the current buffer."
  (let ((statuses (prooflens--status-diagnostics diagnostics))
        (summary (list :proved 0 :refuted 0 :unknown 0 :pending 0)))
    (prooflens--clear-overlays)
    (dolist (d statuses)
      (let* ((text (plist-get d :message))
             (status (prooflens--status-of text))
             (key (intern (format ":%s" status))))
        (setq summary (plist-put summary key (1+ (plist-get summary key))))
        (when prooflens-show-lenses
          (save-excursion
            (save-restriction
              (widen)
              (goto-char (point-min))
              (forward-line (plist-get (plist-get (plist-get d :range) :start) :line))
              (let* ((bol (line-beginning-position))
                     (ov (make-overlay bol bol nil t nil))
                     (indent (make-string (current-indentation) ?\s)))
                (overlay-put ov 'prooflens t)
                (overlay-put ov 'before-string
                             (concat indent
                                     (propertize text 'face (if (eq status 'refuted)
                                                                'prooflens-refuted-face
                                                              'prooflens-lens-face))
                                     "\n"))
                (push ov prooflens--overlays)))))))
    (setq prooflens--summary (and statuses summary))
    (force-mode-line-update)))

(cl-defmethod eglot-handle-notification :after
  ((_server prooflens-eglot-server) (_method (eql textDocument/publishDiagnostics))
   &key uri diagnostics &allow-other-keys)
  "Show the function statuses that come with the diagnostics of URI."
  (when-let ((buffer (find-buffer-visiting (eglot--uri-to-path uri))))
    (with-current-buffer buffer
      (prooflens--show-statuses diagnostics))))

(defun prooflens-summary-string ()
  "The buffer's summary, e.g. \"✔ 2 · ✘ 1 · ? 1\", or nil before any result."
  (when prooflens--summary
    (let ((s prooflens--summary))
      (concat (format "✔ %d · ✘ %d · ? %d" (plist-get s :proved) (plist-get s :refuted) (plist-get s :unknown))
              (if (> (plist-get s :pending) 0) (format " · … %d" (plist-get s :pending)) "")))))

(defvar prooflens--mode-line-entry
  '(:eval (when-let ((s (and prooflens-mode-line (prooflens-summary-string))))
            (concat " [" s "]"))))
(put 'prooflens--mode-line-entry 'risky-local-variable t)

(defun prooflens--managed-hook ()
  "Set up or tear down a buffer that eglot starts or stops managing."
  (when (cl-typep (eglot-current-server) 'prooflens-eglot-server)
    (if (bound-and-true-p eglot--managed-mode)
        (add-to-list 'mode-line-misc-info prooflens--mode-line-entry)
      (prooflens--clear-overlays)
      (setq prooflens--summary nil))))

(add-hook 'eglot-managed-mode-hook #'prooflens--managed-hook)

;;;; Commands

(defun prooflens--server ()
  (let ((server (eglot-current-server)))
    (unless (cl-typep server 'prooflens-eglot-server)
      (user-error "prooflens: this buffer is not managed by the prooflens server (M-x eglot)"))
    server))

(defun prooflens--uri ()
  (plist-get (eglot--TextDocumentIdentifier) :uri))

(defun prooflens--lsp-diag (diag)
  (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag)))

(defun prooflens--refutations ()
  "The prooflens errors and warnings of the buffer, nearest to point first."
  (let ((line (line-number-at-pos)))
    (sort (cl-remove-if-not
           (lambda (d) (and (memq (flymake-diagnostic-type d) '(eglot-error eglot-warning :error :warning))
                            (let ((l (prooflens--lsp-diag d)))
                              (or (null l) (member (plist-get l :source) '("prooflens" nil))))))
           (flymake-diagnostics (point-min) (point-max)))
          (lambda (a b)
            (< (abs (- (line-number-at-pos (flymake-diagnostic-beg a)) line))
               (abs (- (line-number-at-pos (flymake-diagnostic-beg b)) line)))))))

(defun prooflens--function-at-point ()
  "The name of the function at or before point.
Taken from the status diagnostics, else from CC mode."
  (let ((best nil))
    (dolist (d (flymake-diagnostics (point-min) (point-max)))
      (let ((l (prooflens--lsp-diag d)))
        (when (and l (eql (plist-get l :severity) 4) (prooflens--status-of (plist-get l :message))
                   (<= (flymake-diagnostic-beg d) (max (point) (line-end-position)))
                   (or (null best) (> (flymake-diagnostic-beg d) (flymake-diagnostic-beg best))))
          (setq best d))))
    (cond (best (buffer-substring-no-properties (flymake-diagnostic-beg best) (flymake-diagnostic-end best)))
          ((fboundp 'c-defun-name) (ignore-errors (c-defun-name))))))

(defun prooflens-verify-file ()
  "Re-verify every function of the current buffer."
  (interactive)
  (eglot-execute-command (prooflens--server) "prooflens.verifyFile" (vector (prooflens--uri)))
  (message "prooflens: re-verifying %s" (buffer-name)))

(defun prooflens-verify-function (&optional name)
  "Re-verify the function NAME (by default the one at point)."
  (interactive)
  (let ((name (or name (prooflens--function-at-point))))
    (unless name (user-error "prooflens: no function at point"))
    (eglot-execute-command (prooflens--server) "prooflens.verifyFunction" (vector (prooflens--uri) name))
    (message "prooflens: re-verifying %s" name)))

(defun prooflens-show-counterexample ()
  "Go to the refuted check nearest to point and show its counterexample.
The counterexample (the server's hover there) is shown in the buffer
*prooflens counterexample*; the text is returned."
  (interactive)
  (let* ((server (prooflens--server))
         (diag (or (car (prooflens--refutations))
                   (user-error "prooflens: no refuted check in this buffer"))))
    (goto-char (flymake-diagnostic-beg diag))
    (let* ((hover (jsonrpc-request server :textDocument/hover
                                   (list :textDocument (eglot--TextDocumentIdentifier)
                                         :position (eglot--pos-to-lsp-position (point)))))
           (contents (plist-get hover :contents))
           (text (cond ((null contents) nil)
                       ((stringp contents) contents)
                       ((plist-get contents :value))
                       ((vectorp contents)
                        (mapconcat (lambda (c) (if (stringp c) c (plist-get c :value))) contents "\n"))
                       (t (format "%s" contents)))))
      (unless text (user-error "prooflens: no counterexample here"))
      (with-current-buffer (get-buffer-create "*prooflens counterexample*")
        (let ((inhibit-read-only t))
          (erase-buffer)
          (insert text)
          (goto-char (point-min))
          (if (fboundp 'gfm-view-mode) (gfm-view-mode) (special-mode))))
      (unless noninteractive
        (display-buffer "*prooflens counterexample*"))
      text)))

(defun prooflens-generate-test ()
  "Write a C test that reproduces the counterexample nearest to point."
  (interactive)
  (let* ((server (prooflens--server))
         (diag (or (car (prooflens--refutations))
                   (user-error "prooflens: no refuted check in this buffer")))
         (lsp (prooflens--lsp-diag diag))
         (range (plist-get lsp :range))
         (actions (jsonrpc-request server :textDocument/codeAction
                                   (list :textDocument (eglot--TextDocumentIdentifier)
                                         :range range
                                         :context (list :diagnostics (vector lsp)))))
         (action (cl-find-if (lambda (a) (string-match-p "test" (downcase (or (plist-get a :title) ""))))
                             (append actions nil))))
    (unless action (user-error "prooflens: no test to generate here"))
    (when (plist-get action :edit)
      (eglot--apply-workspace-edit (plist-get action :edit)))
    (let ((cmd (plist-get action :command)))
      (cond ((stringp cmd) (eglot-execute-command server cmd (plist-get action :arguments)))
            (cmd (eglot-execute-command server (plist-get cmd :command) (plist-get cmd :arguments)))))))

(defun prooflens-status ()
  "Show the buffer's summary in the echo area."
  (interactive)
  (message "prooflens: %s" (or (prooflens-summary-string) "no result yet")))

(provide 'prooflens)
;;; prooflens.el ends here
