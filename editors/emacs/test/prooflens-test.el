;;; prooflens-test.el --- Batch end-to-end test of prooflens.el with eglot  -*- lexical-binding: t -*-

;; emacs --batch -l editors/emacs/test/prooflens-test.el   (no -Q: Debian's site-start
;; puts elpa-eglot on the load path)
;; Env: SERVER (the prooflens executable), FILE (a copy of examples/seed.c the test may edit),
;; TIMEOUT (seconds per wait, default 90).  Prints "ok STEP" lines; exits 0 when all pass.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'flymake)

(defvar prooflens-test--dir (file-name-directory (or load-file-name buffer-file-name)))
(defvar prooflens-test--timeout (string-to-number (or (getenv "TIMEOUT") "90")))

(defun prooflens-test--fail (fmt &rest args)
  (message "FAIL %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun prooflens-test--ok (fmt &rest args)
  (message "ok %s" (apply #'format fmt args)))

(defun prooflens-test--wait (what pred)
  "Pump events (and flymake) until PRED is non-nil; fail with WHAT on timeout."
  (let ((deadline (+ (float-time) prooflens-test--timeout)) (v nil))
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    (or v (prooflens-test--fail "timed out waiting for %s" what))))

(defun prooflens-test--line-of (regexp &optional from)
  "1-based line of the first match of REGEXP after line FROM."
  (save-excursion
    (goto-char (point-min))
    (when from (forward-line from))
    (and (re-search-forward regexp nil t) (line-number-at-pos))))

(defun prooflens-test--diags-on (line &optional types)
  (cl-remove-if-not
   (lambda (d) (and (= (line-number-at-pos (flymake-diagnostic-beg d)) line)
                    (or (null types) (memq (flymake-diagnostic-type d) types))))
   (flymake-diagnostics (point-min) (point-max))))

(defun prooflens-test--lens-above (line)
  "The text of the prooflens status overlay drawn above LINE."
  (cl-loop for ov in prooflens--overlays
           when (and (overlay-buffer ov)
                     (= (line-number-at-pos (overlay-start ov)) line))
           return (string-trim (overlay-get ov 'before-string))))

(condition-case err
    (let* ((server (or (getenv "SERVER") (prooflens-test--fail "SERVER not set")))
           (file (or (getenv "FILE") (prooflens-test--fail "FILE not set"))))
      ;; as a user's init file would: set the command, then load the package
      (setq prooflens-server-command (list server "serve"))
      (setq prooflens-settings '(:timeout 10))
      (load (expand-file-name "../prooflens.el" prooflens-test--dir) nil t)
      (unless (featurep 'prooflens) (prooflens-test--fail "feature prooflens not provided"))
      (dolist (mode '(c-mode c-ts-mode))
        (let ((triplet (eglot--lookup-mode mode)))
          (unless (and (eq (nth 2 triplet) #'prooflens--contact) (equal (nth 1 triplet) "c"))
            (prooflens-test--fail "eglot-server-programs: %s is not registered for prooflens: %S" mode triplet))))
      (prooflens-test--ok "loaded, %s, emacs %s"
                          (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot"))))
                          emacs-version)
      (find-file file)
      (c-mode)
      (let ((f (prooflens-test--line-of "\\_<f *("))
            (g (prooflens-test--line-of "void +g *("))
            (g2 (prooflens-test--line-of "void +g2 *("))
            sub gif)
        (setq sub (prooflens-test--line-of "x *- *y" g2)
              gif (prooflens-test--line-of "if *( *y *> *0 *)" g))
        ;; batch mode has no command loop: run post-command-hook for eglot-ensure
        (eglot-ensure)
        (run-hooks 'post-command-hook)
        (prooflens-test--wait "eglot to connect" #'eglot-managed-p)
        (unless (object-of-class-p (eglot-current-server) 'prooflens-eglot-server)
          (prooflens-test--fail "the server is %S, not prooflens" (eglot-current-server)))
        (prooflens-test--ok "connected: %s" (eglot--project-nickname (eglot-current-server)))
        (flymake-start)

        ;; 1. the overflow in g2
        (let ((d (car (prooflens-test--wait
                       (format "an overflow diagnostic on line %d" sub)
                       (lambda () (cl-remove-if-not
                                   (lambda (d) (string-match-p "overflow" (flymake-diagnostic-text d)))
                                   (prooflens-test--diags-on sub)))))))
          (prooflens-test--ok "diagnostic line %d: %s [%s]" sub (flymake-diagnostic-text d) (flymake-diagnostic-type d)))

        ;; 2. per-function status: Hint diagnostics (flymake notes) and the lines drawn above
        (prooflens-test--wait
         "final statuses of f, g and g2"
         (lambda ()
           (cl-every (lambda (l) (let ((s (prooflens-test--lens-above l)))
                                   (and s (memq (prooflens--status-of s) '(proved refuted unknown)))))
                     (list f g g2))))
        (let ((sf (prooflens-test--lens-above f)) (sg (prooflens-test--lens-above g))
              (sg2 (prooflens-test--lens-above g2)))
          (unless (eq (prooflens--status-of sf) 'proved) (prooflens-test--fail "status of f: %s" sf))
          (unless (eq (prooflens--status-of sg) 'proved) (prooflens-test--fail "status of g: %s" sg))
          (unless (eq (prooflens--status-of sg2) 'refuted) (prooflens-test--fail "status of g2: %s" sg2))
          (prooflens-test--ok "lenses: f=%s | g=%s | g2=%s" sf sg sg2))
        (let ((notes (prooflens-test--diags-on f '(eglot-note))))
          (unless notes (prooflens-test--fail "no Hint status diagnostic (flymake note) on f"))
          (unless (eq (flymake--lookup-type-property (flymake-diagnostic-type (car notes)) 'flymake-category)
                      'flymake-note)
            (prooflens-test--fail "the status of f is not a flymake note"))
          (prooflens-test--ok "flymake note on f: %s" (flymake-diagnostic-text (car notes))))
        (let ((summary (prooflens-summary-string)))
          (unless (and summary (string-match "✔ \\([0-9]+\\) · ✘ \\([0-9]+\\)" summary)
                       (>= (string-to-number (match-string 1 summary)) 2)
                       (>= (string-to-number (match-string 2 summary)) 1))
            (prooflens-test--fail "summary: %S" summary))
          ;; format-mode-line gives "" in batch mode (no frame): evaluate our entry instead
          (unless (and (member prooflens--mode-line-entry mode-line-misc-info)
                       (string-match-p "✔" (or (eval (cadr prooflens--mode-line-entry) t) "")))
            (prooflens-test--fail "summary not in the mode line: %S" mode-line-misc-info))
          (prooflens-test--ok "summary: %s" summary))

        ;; 3. the counterexample
        (goto-char (point-min))
        (forward-line (1- sub))           ; on the overflow's line, not at its column
        (let ((text (prooflens-show-counterexample)))
          (unless (and text (string-match "-?[0-9]\\{4,\\}.*\n?.*-?[0-9]\\{4,\\}" text))
            (prooflens-test--fail "counterexample lacks input values: %S" text))
          (unless (= (line-number-at-pos) sub)
            (prooflens-test--fail "point not moved to the refuted check (line %d)" (line-number-at-pos)))
          (prooflens-test--ok "counterexample: %s"
                              (substring (replace-regexp-in-string "[ \n]+" " " text) 0 (min 160 (length text)))))

        ;; 4. break g by editing the buffer; eglot sends didChange on an idle timer, which
        ;; batch mode never runs: send it now
        (goto-char (point-min))
        (forward-line (1- gif))
        (re-search-forward "y *> *\\(0\\)")
        (replace-match "-5" t t nil 1)
        (eglot--signal-textDocument/didChange)
        (let ((d (car (prooflens-test--wait
                       "a diagnostic in g after breaking it"
                       (lambda () (cl-remove-if-not
                                   (lambda (d) (let ((l (line-number-at-pos (flymake-diagnostic-beg d))))
                                                 (and (> l g) (< l g2)
                                                      (memq (flymake-diagnostic-type d) '(eglot-error eglot-warning)))))
                                   (flymake-diagnostics (point-min) (point-max))))))))
          (prooflens-test--ok "broken g: line %d: %s" (line-number-at-pos (flymake-diagnostic-beg d))
                              (flymake-diagnostic-text d)))
        (prooflens-test--wait "g's status to turn refuted"
                              (lambda () (eq (prooflens--status-of (or (prooflens-test--lens-above g) "")) 'refuted)))
        (prooflens-test--ok "status of g: %s" (prooflens-test--lens-above g))

        ;; 5. the commands, then mend g
        (goto-char (point-min))
        (forward-line g)
        (prooflens-verify-function)
        (prooflens-verify-file)
        (goto-char (point-min))
        (forward-line (1- gif))
        (re-search-forward "y *> *\\(-5\\)")
        (replace-match "0" t t nil 1)
        (eglot--signal-textDocument/didChange)
        (prooflens-test--wait "g's status to return to proved"
                              (lambda () (eq (prooflens--status-of (or (prooflens-test--lens-above g) "")) 'proved)))
        (prooflens-test--ok "mended g: %s" (prooflens-test--lens-above g))
        (set-buffer-modified-p nil)
        (eglot-shutdown (eglot-current-server))
        (message "ALL OK")
        (kill-emacs 0)))
  (error (prooflens-test--fail "error: %S" err)))

;;; prooflens-test.el ends here
